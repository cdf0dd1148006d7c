"""reclaim: a privacy-first campaign platform."""
