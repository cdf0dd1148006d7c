"""reclaim's own settings, with only what the benchmark needs on top.

Everything not overridden here is exactly what production runs with. The overrides:

- mails go to files (``RECLAIM_BENCH_MAIL_DIR``), because confirmation tokens exist only in
  mails and the harness must read them to post confirmations;
- the URL configuration adds ``/bench/floor``, the floor view (see bench/floor.py);
- the signing throttles are raised far above the load, so that the throttle code still
  runs (the same cache round trips per attempt) but refuses nothing: the benchmark measures
  capacity, not the abuse limits (see docs/benchmarks.md, "Throttles").
"""

from __future__ import annotations

import os

from reclaim.settings import *  # noqa: F403
from reclaim.settings import RECLAIM

ROOT_URLCONF = "bench.urls_bench"

_mail_dir = os.environ.get("RECLAIM_BENCH_MAIL_DIR", "")
if _mail_dir:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _mail_dir

_HIGH = 10_000_000
RECLAIM["THROTTLES"] = {
    **RECLAIM["THROTTLES"],
    "source_burst": (_HIGH, 60),
    "source_sustained": (_HIGH, 3600),
    "domain_burst": (_HIGH, 60),
    "country_burst": (_HIGH, 60),
    # site_load is left as it is: it refuses nothing, it only puts a proof-of-work challenge
    # on the form past its rate, which is part of what a page costs during a spike.
}
