"""The benchmark harness of issue 5: `python bench/run.py [--smoke] [--db sqlite|postgres|both]`.

Not part of the installed package: it drives the production stack from outside and writes
docs/benchmarks.md.
"""
