"""Settings for Difference: one module, every deployment value read from the environment.

Development defaults are safe to run on a laptop (SQLite, console email); when
``DJANGO_DEBUG`` is false the security settings switch on and a real secret key
is required. See ``.env.example`` for every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from difference.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

_DEV_SECRET = "dev-only-not-secret-difference-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "difference.core",
    "difference.accounts",
    "difference.schools",
    "difference.people",
    "difference.training",
    "difference.placements",
    "difference.recruitment",
    "difference.benchmarks",
    "difference.consultancy",
    "difference.jobs",
    "difference.projects",
    "difference.careers",
    "difference.home",
    # Last: the demo charity builds on every app above and no app imports it.
    "difference.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "difference.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "difference.accounts.middleware.RequireMfaMiddleware",
    "difference.core.middleware.NoStoreForAuthenticatedMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "difference.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers proceed during a write;
# IMMEDIATE takes the write lock at BEGIN so read-then-write transactions wait
# for the busy timeout instead of failing at once with "database is locked".
SQLITE_PATH = Path(env_str("DIFFERENCE_SQLITE_PATH", default=str(BASE_DIR / "var" / "difference.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=" + env_str("SQLITE_SYNCHRONOUS", "FULL") + ";"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Login throttling counts live here, so the cache must be shared by every
# server process: the database cache by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "difference_cache",
        }
    }

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# The people app's adapter: it links a login to the person with the same address only once the
# address is proven (see difference/people/adapters.py).
ACCOUNT_ADAPTER = "difference.people.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "difference.people.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Nobody reaches a page until the address they log in with is proven by a link sent to it. With
# enumeration prevention a sign-up with a known address answers exactly as one with a new address,
# and only the email sent to that address differs ("you already have an account").
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
# A link opened by a mail scanner must not confirm anything: the link shows a page with one button.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Following the link signs the person in only in the browser that signed up (allauth keeps that
# sign-up in its session); a link opened anywhere else verifies the address and asks for the password.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("EMAIL_CONFIRMATION_EXPIRE_DAYS", 3, minimum=1)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Difference] "
ACCOUNT_SIGNUP_REDIRECT_URL = "/recruitment/apply/"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
# Ten failed attempts for one login name lock it for fifteen minutes whatever
# the client address; the per-address limit slows spraying across names.
# The public forms (sign-up, interest register) are limited per client address and per email address,
# so that nobody can flood a stranger's inbox or probe addresses in bulk; counts live in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "30/m/ip,10/15m/key"),
    "signup": env_str("SIGNUP_RATE_LIMIT", "20/m/ip"),
    "signup_address": env_str("SIGNUP_ADDRESS_RATE_LIMIT", "5/h/key"),
    "interest_register": env_str("INTEREST_REGISTER_RATE_LIMIT", "20/m/ip"),
    "interest_register_address": env_str("INTEREST_REGISTER_ADDRESS_RATE_LIMIT", "5/h/key"),
}
# Only trust X-Forwarded-For when a proxy count is configured; otherwise the
# client could choose its own address and dodge the per-address limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Difference"
MFA_RECOVERY_CODE_COUNT = 10

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE_SECONDS", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "difference.core.views.csrf_failure"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("DIFFERENCE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Difference <no-reply@localhost>")

# --- Security headers -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "difference.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Difference API",
    "DESCRIPTION": "Programme, people and schools data for The Difference. Every list is scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One name for an application's stage wherever the schema uses it (the record and the move request).
    "ENUM_NAME_OVERRIDES": {"ApplicationStageEnum": "difference.recruitment.models.Stage"},
}

# --- Background jobs ----------------------------------------------------------
# django-tasks with its database backend: jobs wait in the database until a worker (`manage.py run_worker`)
# claims one, so one machine needs no other server and many workers can share one PostgreSQL.
DIFFERENCE_JOBS_QUEUE = "default"
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [DIFFERENCE_JOBS_QUEUE],
    }
}
# A job's work is stopped after this long.
DIFFERENCE_JOB_TIME_LIMIT_SECONDS = env_int("JOB_TIME_LIMIT_SECONDS", 3600, minimum=10)
# A running job whose worker has not beaten for this long is failed (its worker was killed or its machine lost),
# checked by every worker this often.
DIFFERENCE_JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 30, minimum=10)
DIFFERENCE_JOB_REAP_SECONDS = env_int("JOB_REAP_SECONDS", 10, minimum=1)
# Uploaded files larger than this are imported by a background job; smaller ones at once, reported the same way.
DIFFERENCE_BACKGROUND_IMPORT_BYTES = env_int("BACKGROUND_IMPORT_BYTES", 256 * 1024, minimum=0)
# A mailing retries a transient SMTP error this many times, waiting 1×, 2×, 4×… this many seconds between tries.
DIFFERENCE_MAIL_RETRIES = env_int("MAIL_RETRIES", 3, minimum=0)
DIFFERENCE_MAIL_RETRY_SECONDS = float(env_str("MAIL_RETRY_SECONDS", "2"))

# --- Domain settings ----------------------------------------------------------
# Cells below this count are suppressed wherever a figure is shown.
DIFFERENCE_SMALL_CELL_THRESHOLD = env_int("DIFFERENCE_SMALL_CELL_THRESHOLD", 5, minimum=1)
# Which shipped DfE files the demo loads: "all" (about 35 s and 1 GB more on a first run, for the school pages and
# every publication) or "series" (the national, regional and LA exclusions series, about 1 s).
DIFFERENCE_DEMO_BENCHMARKS = env_str("DIFFERENCE_DEMO_BENCHMARKS", "all")
# Below this many people with both a score and an outcome, selection validity says "too few to say".
DIFFERENCE_VALIDITY_MIN_N = env_int("DIFFERENCE_VALIDITY_MIN_N", 10, minimum=4)
# Largest evidence file (certificates) accepted, in bytes; larger uploads are refused before anything is stored.
DIFFERENCE_EVIDENCE_MAX_BYTES = env_int("DIFFERENCE_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# The address people reach the site at, for the links in emails (sent from commands and jobs too).
DIFFERENCE_SITE_URL = env_str("DIFFERENCE_SITE_URL", "http://127.0.0.1:8000")
# How long a link that confirms a public form's submission stays valid.
DIFFERENCE_CONFIRMATION_MAX_AGE_DAYS = env_int("DIFFERENCE_CONFIRMATION_MAX_AGE_DAYS", 7, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step of every PDF at INFO; its warnings (missing fonts, refused URLs) still show.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
