"""Settings for reclaim, driven by the environment.

Out of the box reclaim runs on SQLite in a data folder with no other service. Set
``DATABASE_URL`` for PostgreSQL and ``REDIS_URL`` for a shared cache. With
``RECLAIM_ENV=production`` the settings refuse to start until every variable a public
deployment needs is set, and say which one is missing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reclaim.lib.env import env_bool, env_int, env_list, env_str, require, secret_file

BASE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules
DATA_DIR = Path(env_str("RECLAIM_DATA_DIR", str(Path.cwd() / "var"))).resolve()

RECLAIM_ENV = env_str("RECLAIM_ENV", "development")
if RECLAIM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("RECLAIM_ENV must be 'development' or 'production'.")
PRODUCTION = RECLAIM_ENV == "production"

# DEBUG is off unless asked for, and can never be on in production.
DEBUG = env_bool("RECLAIM_DEBUG", False) and not PRODUCTION

SECRET_KEY = env_str("RECLAIM_SECRET_KEY") or secret_file(DATA_DIR / "secret.key")
# The key of the HMAC that turns an email into a duplicate-detection hash. It is separate
# from SECRET_KEY so that rotating the session secret does not break duplicate detection.
EMAIL_HASH_KEY = env_str("RECLAIM_EMAIL_HASH_KEY") or secret_file(DATA_DIR / "email-hash.key")

ALLOWED_HOSTS = env_list("RECLAIM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION:
    require("RECLAIM_ALLOWED_HOSTS", PRODUCTION)
BASE_URL = (require("RECLAIM_BASE_URL", PRODUCTION) or "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [BASE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    # django-ninja: the public API (reclaim.api). Installed for its static files, so the
    # docs page loads Swagger UI from our own origin and never from a CDN.
    "ninja",
    "simple_history",
    "reclaim.core",
    "reclaim.accounts",
    "reclaim.audit",
    "reclaim.keyring",
    "reclaim.mail",
    "reclaim.letters",
    "reclaim.eci",
    "reclaim.coalition",
    "reclaim.news",
    "reclaim.newsletter",
    "reclaim.atlas",
    "reclaim.shield",
    "reclaim.api",
    "reclaim.privacy",
    "reclaim.demo",
]

MIDDLEWARE = [
    # First, so that its line has the status sent and the time every middleware took.
    "reclaim.core.accesslog.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so that its refusal speaks the visitor's language.
    "reclaim.core.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Public forms carry no token and set no cookie: cross-site posts are refused by the
    # browser's Sec-Fetch-Site and Origin headers instead. Staff pages keep Django's CSRF.
    "reclaim.core.crossorigin.CrossOriginProtectionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reclaim.audit.services.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reclaim.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reclaim.core.middleware.ContentSecurityPolicyMiddleware",
    "reclaim.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "reclaim.urls"
WSGI_APPLICATION = "reclaim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reclaim.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "reclaim.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue on the busy timeout instead of failing
                # with "database is locked" when a read lock is upgraded mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    # Freed pages are overwritten with zeros, so a deleted row (an expired
                    # token, an erased request) does not linger in the file.
                    "PRAGMA secure_delete=ON;"
                ),
            },
            # Keep each process's connection open between requests: opening one (and its
            # PRAGMAs) and closing it (the last to close a WAL database checkpoints it) cost
            # about as much as a whole counter request.
            "CONN_MAX_AGE": env_int("RECLAIM_DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            # Tests use a file too, not shared-cache memory, whose table locks ignore the
            # busy timeout: the concurrency tests must see the same locking as production.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Django's cache holds what every process must agree on: sign-in lockouts, the form
# throttles, used proof-of-work solutions, the aggregation job's figures (docs/caching.md).
REDIS_URL = env_str("REDIS_URL")
# Without Redis it lives in SQLite files in this folder (reclaim.lib.diskcache), shared by
# every process on this machine: one count for all gunicorn workers, not one per worker.
# Readable by the application's user only: its values are pickled, like every backend's.
CACHE_DIR = Path(env_str("RECLAIM_CACHE_DIR", str(DATA_DIR / "cache"))).resolve()
DISK_CACHE: dict[str, Any] = {
    "BACKEND": "reclaim.lib.diskcache.DiskCache",
    "LOCATION": str(CACHE_DIR),
    # Sized for the signing throttles, which keep a few counters per source network for up
    # to an hour (about 200 bytes each): a spike of 2,000 sources a minute fills some tens
    # of megabytes. Past the limit the oldest entries are evicted (each write also deletes
    # up to ten expired ones), which would forget limits before their windows end.
    "OPTIONS": {"size_limit": env_int("RECLAIM_CACHE_MB", 512) * 2**20},
}
# Whether the aggregation job and the web workers share one cache: then the job's figures
# reach the workers at once; otherwise each worker re-reads them from the database every
# second (reclaim.letters.counting).
SHARED_CACHE: bool
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SHARED_CACHE = True
elif TESTING:
    # Tests keep a cache of their own in memory: runs side by side in one checkout would
    # otherwise clear each other's counters. The tests of sharing between processes switch
    # to DISK_CACHE in a folder of their own.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    SHARED_CACHE = False
else:
    CACHE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    CACHES = {"default": DISK_CACHE}
    # The disk cache is shared by the processes of one machine. On SQLite that is every
    # process of the site (the database is a file in the same data folder); with PostgreSQL
    # the scheduler may run on another host, where its figures would not be seen.
    SHARED_CACHE = not DATABASE_URL
# Rendered template fragments stay in each process ({% cache ... using="local" %}): they
# depend on the code, so they must not outlive a restart, as anything in Redis or the disk
# cache would (a deploy that changes the signing form's fields must show them at once).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "reclaim-fragments",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}

# --- Background tasks -----------------------------------------------------------------
# "database" keeps the queue in the same database, so the default install needs no broker;
# "immediate" runs every task inline (tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("RECLAIM_TASK_BACKEND", "immediate" if TESTING else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured("RECLAIM_TASK_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# --- Auth and sessions ----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("RECLAIM_SESSION_SECONDS", 8 * 3600)
# The cookie dies with the browser; the session behind it still ends SESSION_COOKIE_AGE
# after sign-in, however active the staff member is (it is not renewed on every request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "reclaim.core.views.csrf_failure"
# Messages ("Batch recorded.") live in a cookie of their own, set only when a staff page
# adds one. The default storage falls back to the session, and reading it on every public
# page (base.html shows messages) marked each response "Vary: Cookie", so no proxy could
# cache a petition page for all its readers.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
LOGIN_URL = "admin:login"
# The lockout backend refuses a username after repeated failures (reclaim.accounts.lockout).
AUTHENTICATION_BACKENDS = ["reclaim.accounts.backends.LockoutModelBackend"]
# Authenticator apps label the account with this, so staff of several campaigns can tell
# their codes apart.
OTP_TOTP_ISSUER = urlsplit(BASE_URL).hostname or "reclaim"

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet is None or _leaflet.origin is None:
    raise ImproperlyConfigured("django-leaflet is not installed: pip install -e .")
LEAFLET_STATIC = Path(_leaflet.origin).parent / "static" / "leaflet"
STATICFILES_DIRS: list[Any] = [
    BASE_DIR / "static",
    # Leaflet's script, styles and marker images for the atlas's map, from our own origin,
    # as django-leaflet ships them (at /static/leaflet/). Its Django app is not installed:
    # its admin widgets need GeoDjango's GDAL library, which a plain install does not have.
    ("leaflet", LEAFLET_STATIC),
]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = require("RECLAIM_FROM_EMAIL", PRODUCTION) or "reclaim <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = require("RECLAIM_EMAIL_HOST", PRODUCTION)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("RECLAIM_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("RECLAIM_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("RECLAIM_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("RECLAIM_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    # The demo prints every mail, confirmation links included, on the console.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security -------------------------------------------------------------------------
# Upload and form limits: an oversized post is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
# Views that take files declare their own, larger limit (reclaim.core.middleware
# accepts_uploads); the admin's forms take up to RECLAIM["STAFF_UPLOAD_MAX_BYTES"].
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own
# form posts and CSRF protection must refuse them. Other origins still get no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything from our own origin, no inline script or style, no framing. django-csp's
# middleware sends it; the admin's inline script and style are allowed only under its own
# prefix (reclaim.core.middleware), and a page meant to be embedded says so with
# csp_replace (the ECI embed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("RECLAIM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("RECLAIM_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("RECLAIM_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it is the operator's explicit choice.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Logging --------------------------------------------------------------------------
# The access log (reclaim.access, at INFO) names each request's route, never its path or
# query: a mailed link's token is in the path, a GET form's answers in the query
# (reclaim.core.accesslog). Django's request warnings get the route in place of the path,
# and every line loses addresses and emails (reclaim.lib.logfilter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "route": {"()": "reclaim.core.accesslog.RouteInsteadOfPath"},
        "scrub": {"()": "reclaim.lib.logfilter.ScrubPersonalData"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["route", "scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("RECLAIM_LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's own line is the request line, path and query (4xx at WARNING): the
        # access log above replaces it.
        "django.server": {"level": "CRITICAL"},
        # The PDF library's font subsetter reports every glyph at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# --- reclaim --------------------------------------------------------------------------
RECLAIM: dict[str, Any] = {
    # The largest post the admin takes (its forms upload images and documents of evidence);
    # every other form keeps DATA_UPLOAD_MAX_MEMORY_SIZE or what its view declares.
    "STAFF_UPLOAD_MAX_BYTES": env_int("RECLAIM_STAFF_UPLOAD_MAX_BYTES", 25 * 1024 * 1024),
    # A confirmation link is valid this long; unconfirmed signatures are deleted after it.
    "CONFIRMATION_DAYS": env_int("RECLAIM_CONFIRMATION_DAYS", 7),
    # How often the worker recounts confirmed signatures (seconds).
    "AGGREGATE_EVERY": env_int("RECLAIM_AGGREGATE_EVERY", 3),
    # The open petitions and the active key are kept this long in each process
    # (reclaim.lib.processcache): a change made in another process shows within it.
    "PROCESS_CACHE_SECONDS": env_int("RECLAIM_PROCESS_CACHE_SECONDS", 2),
    # Public counter JSON: browsers and proxies may keep it this long.
    "COUNTER_MAX_AGE": env_int("RECLAIM_COUNTER_MAX_AGE", 5),
    # A petition's page: the same for every reader, so browsers and proxies may keep it
    # this long (seconds; 0 to forbid).
    "PAGE_MAX_AGE": env_int("RECLAIM_PAGE_MAX_AGE", 5),
    "SIGNATORIES_PER_PAGE": 100,
    # Trending sources (reclaim.letters.moderation): a source, email domain or country is
    # flagged when its signatures in the last window exceed `factor` times its usual rate
    # over the baseline, and at least `min_count` (so a new petition's first signatures,
    # with no baseline yet, raise nothing).
    "TRENDING": {"window_minutes": 5, "baseline_hours": 24, "factor": 5, "min_count": 30},
    # How many reverse proxies in front of the app set X-Forwarded-For (0: none, trust
    # only the socket's address). Only their hops are believed.
    "TRUSTED_PROXY_HOPS": env_int("RECLAIM_TRUSTED_PROXY_HOPS", 0),
    # Attempts allowed on a guarded public form as (attempts, window in seconds), counted
    # in the cache per scope (reclaim.shield: "letters.sign", ...) and target (a petition).
    # A source is a hashed /24 or /48 network, so a carrier NAT or a campus shares one. A
    # visitor whose browser solved the proof-of-work challenge gets `solved_multiplier`
    # times each limit. `site_load` refuses nothing: past it (per scope), and as a source
    # nears its burst limit, the form carries a challenge that grows harder with the load.
    # The country limit stays above the largest recorded spike (about 2,000 a minute on
    # the UK Parliament site in March 2019) for a visitor with JavaScript. Every scope
    # uses these; THROTTLES_BY_SCOPE overrides some of them for one scope.
    "THROTTLES": {
        "source_burst": (20, 60),
        "source_sustained": (200, 3600),
        "domain_burst": (300, 60),
        "country_burst": (1500, 60),
        "site_load": (600, 60),
        "solved_multiplier": 5,
    },
    "THROTTLES_BY_SCOPE": {
        # The public API (reclaim.api): reads, one count per request and source network.
        # A partner's page polling a figure every few seconds stays well within it.
        "api.read": {"source_burst": (120, 60), "source_sustained": (3000, 3600)},
    },
    # The public API (/api/v1/): how long browsers and proxies may keep an answer
    # (seconds), and the items on a page of a list unless asked for fewer, at most.
    "API_MAX_AGE": env_int("RECLAIM_API_MAX_AGE", 30),
    "API_PAGE_SIZE": 20,
    "API_MAX_PAGE_SIZE": 100,
    # The Commission's public ECI counters: how often, how patiently, and when a figure
    # is too old to show without a warning (seconds).
    "ECI_SYNC_EVERY": env_int("RECLAIM_ECI_SYNC_EVERY", 900),
    "ECI_SYNC_TIMEOUT": env_int("RECLAIM_ECI_SYNC_TIMEOUT", 10),
    "ECI_SYNC_RETRIES": env_int("RECLAIM_ECI_SYNC_RETRIES", 2),
    "ECI_SYNC_BACKOFF": 1,
    "ECI_STALE_AFTER": {"online": 6 * 3600, "register": 36 * 3600},
    # An answer that cannot be true is refused (reclaim.eci.sync.checks). The register's
    # total and its member states are published together: 1 % slack for a line updated a
    # moment before the total. While collecting a counter only grows: a fall of more than
    # 10 % from the last good total is a broken answer, not a correction.
    "ECI_SYNC_TOTAL_TOLERANCE": 0.01,
    "ECI_SYNC_MAX_FALL": 0.1,
    # The dashboard projects a date only from readings at least this many days apart: one
    # figure, or two a day apart, say nothing about a rate.
    "ECI_PROJECTION_MIN_DAYS": env_int("RECLAIM_ECI_PROJECTION_MIN_DAYS", 7),
    # Who answers for the personal data this site collects, named on the privacy page as
    # GDPR Article 13(1)(a) requires: the controller's name and postal address, and an
    # email address for data-protection questions. Examples outside production; in
    # production an unset one is empty and `check --deploy` warns (reclaim.privacy.checks).
    "CONTROLLER_NAME": env_str(
        "RECLAIM_CONTROLLER_NAME", "" if PRODUCTION else "Example Campaign (demo)"
    ),
    "CONTROLLER_ADDRESS": env_str(
        "RECLAIM_CONTROLLER_ADDRESS",
        "" if PRODUCTION else "Example Street 1, 10115 Berlin, Germany",
    ),
    "PRIVACY_CONTACT": env_str(
        "RECLAIM_PRIVACY_CONTACT", "" if PRODUCTION else "privacy@example.org"
    ),
    # Staff must confirm a one-time code from an authenticator app (TOTP) before any staff
    # page opens (reclaim.accounts.middleware). On by default in production, where turning
    # it off raises a deploy-check warning; off by default for development and tests.
    "REQUIRE_2FA": env_bool("RECLAIM_REQUIRE_2FA", PRODUCTION),
    # A staff member sets up that app only through an enrolment link an organiser sent them
    # (reclaim.accounts.enrolment), valid this long and once: the password alone is not
    # enough to choose the second factor.
    "ENROLMENT_LINK_HOURS": env_int("RECLAIM_ENROLMENT_LINK_HOURS", 72),
    # An application to join the coalition (reclaim.coalition): its contact person's name
    # and address are erased this many days after the organisers' decision (unconfirmed
    # applications go after CONFIRMATION_DAYS, as unconfirmed signatures do).
    "COALITION_APPLICATION_RETENTION_DAYS": env_int(
        "RECLAIM_COALITION_APPLICATION_RETENTION_DAYS", 180
    ),
    # Readers' comments on news articles (reclaim.news): an address left for reply
    # notifications is erased this many days after the comment (an unconfirmed one after
    # CONFIRMATION_DAYS); a rejected comment is deleted this many days after the decision
    # (published ones stay with their article); this many reports from different networks
    # hide a published comment until a moderator decides.
    "NEWS_COMMENT_ADDRESS_DAYS": env_int("RECLAIM_NEWS_COMMENT_ADDRESS_DAYS", 90),
    "NEWS_COMMENT_RETENTION_DAYS": env_int("RECLAIM_NEWS_COMMENT_RETENTION_DAYS", 30),
    "NEWS_COMMENT_REPORTS_TO_HIDE": env_int("RECLAIM_NEWS_COMMENT_REPORTS_TO_HIDE", 3),
    # Where applicants' replies go (Reply-To of the mails about their application); empty:
    # no Reply-To, and the mails give no address to answer.
    "COALITION_REPLY_TO": env_str("RECLAIM_COALITION_REPLY_TO", ""),
    # Sign-in lockout (reclaim.accounts.lockout): this many failed passwords for one
    # username within LOGIN_LOCK_MINUTES lock it for LOGIN_LOCK_MINUTES. Counted per keyed
    # hash of the username, never per address, so a shared network locks no one else out.
    "LOGIN_FAILURES": env_int("RECLAIM_LOGIN_FAILURES", 5),
    "LOGIN_LOCK_MINUTES": 15,
    # The outbox encrypts each address under the key of the current period of this many
    # minutes (reclaim.mail.addresses); a key is destroyed a few minutes after its period,
    # once no queued mail needs it. Shorter: less time in which a sent mail's address could
    # still be recovered from the database's logs; longer: fewer key files.
    "OUTBOX_KEY_MINUTES": env_int("RECLAIM_OUTBOX_KEY_MINUTES", 5),
    # A newsletter issue goes out at most this many new mails per this many seconds
    # (reclaim.newsletter.services.sending): mail providers throttle or junk a sudden flood
    # from one server, and the scheduler's other jobs get their turn between batches.
    "NEWSLETTER_BATCH_SIZE": env_int("RECLAIM_NEWSLETTER_BATCH_SIZE", 200),
    "NEWSLETTER_BATCH_SECONDS": env_int("RECLAIM_NEWSLETTER_BATCH_SECONDS", 30),
    # The surveillance atlas (reclaim.atlas). A record is corroborated once this many
    # reviewers voted on it separately and most of them confirmed it; a device not seen
    # for this many months is listed as needing a re-check.
    "ATLAS_REVIEWERS_TO_CORROBORATE": env_int("RECLAIM_ATLAS_REVIEWERS_TO_CORROBORATE", 3),
    "ATLAS_RECHECK_MONTHS": env_int("RECLAIM_ATLAS_RECHECK_MONTHS", 12),
    # A report's optional contact address is erased this many days after the report (an
    # unconfirmed one sooner); a decided report's text and place this many days after the
    # decision (what was accepted lives on in the record it made).
    "ATLAS_CONTACT_DAYS": env_int("RECLAIM_ATLAS_CONTACT_DAYS", 90),
    "ATLAS_REPORT_RETENTION_DAYS": env_int("RECLAIM_ATLAS_REPORT_RETENTION_DAYS", 30),
    # A photo in a report (before it is re-encoded) and a file of evidence staff upload.
    "ATLAS_PHOTO_MAX_BYTES": env_int("RECLAIM_ATLAS_PHOTO_MAX_BYTES", 10 * 1024 * 1024),
    "ATLAS_EVIDENCE_MAX_BYTES": env_int("RECLAIM_ATLAS_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024),
    # The licence of the atlas's open data (its files and its part of the public API),
    # written into every file and answer (reclaim.atlas.services.exports). The ODbL is
    # OpenStreetMap's own licence, so the two can be combined on the same terms.
    # "attribution" is the credit its users must give.
    "ATLAS_DATA_LICENCE": {
        "id": "ODbL-1.0",
        "name": "Open Data Commons Open Database License",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "attribution": "reclaim surveillance atlas contributors",
    },
}
# Where those keys live: outside the database, so that its write-ahead log and backups hold
# ciphertext only. Several hosts that queue or send mail must share it. Tests keep their own,
# so that a test run never destroys a running demo's keys.
OUTBOX_KEY_DIR = Path(
    env_str("RECLAIM_OUTBOX_KEY_DIR")
    or str(DATA_DIR / ("test-outbox-keys" if TESTING else "outbox-keys"))
)
