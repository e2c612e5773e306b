"""Pilote QSE settings: one file, driven by environment variables.

Local runs (`make run`, `make test`) get their variables from `var/env`, written by
`scripts/services.sh`; production gets them from docker-compose.
"""

import json
import os
from pathlib import Path

import dj_database_url
import plotly
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("QSE_PRODUCTION")
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-pilote-qse")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set in production")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_celery_beat",
    "guardian",
    "axes",
    "pgtrigger",
    "pghistory",
    "qse",
    "context",
    "improvement",
    "risks",
    "nonconformities",
    "compliance",
    "objectives",
    "audits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "qse.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Opens the request transaction and sets the tenant for row-level security.
    "qse.middleware.CurrentOrganizationMiddleware",
    "qse.middleware.SignInLanguageMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "qse.urls"
WSGI_APPLICATION = "qse.wsgi.application"

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
                "qse.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# The application connects as a role that does not own the tables (row-level security
# applies to it); migrations run as the owner role (QSE_DB_ROLE=owner).
_LOCAL_DB = "postgres://qse_app:qse_app@127.0.0.1:54329/qse"
DATABASE_APP_URL = os.environ.get("DATABASE_URL", _LOCAL_DB)
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", DATABASE_APP_URL)
_db_url = DATABASE_OWNER_URL if os.environ.get("QSE_DB_ROLE") == "owner" else DATABASE_APP_URL
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)}
if os.environ.get("QSE_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["QSE_DB_NAME"]
# One test database per test process, so that parallel runs never drop each other's.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("QSE_TEST_DB_NAME", f"test_qse_{os.getpid()}")}
DB_APP_ROLE = dj_database_url.parse(DATABASE_APP_URL)["USER"]
DB_OWNER_CREDENTIALS = {
    key: dj_database_url.parse(DATABASE_OWNER_URL)[key] for key in ("USER", "PASSWORD")
}
DB_APP_CREDENTIALS = {key: dj_database_url.parse(DATABASE_APP_URL)[key] for key in ("USER", "PASSWORD")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Application-level scoping (restrict()). Tests switch it off to prove that
# row-level security alone still hides other organizations' rows.
QSE_APP_SCOPING = True

# --- Auth -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
# Self-service sign-up (a new organization per confirmed e-mail address): off unless the
# deployment opens it; otherwise organizations are created by the first-run setup, the
# platform staff (/staff/) or `manage.py create_organization`.
QSE_SIGNUP_ENABLED = env_bool("QSE_SIGNUP_ENABLED")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25  # hours
# Two separate counters: failures against one username (from any address: a distributed
# guesser) and failures from one address (whatever the usernames tried).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success must not wipe the failures: it would delete every attempt from the guesser's
# address and against its usernames, so one account of one's own would reset the counts.
AXES_RESET_ON_SUCCESS = False
# The same client address as the rest of the app (X-Forwarded-For only through
# QSE_TRUSTED_PROXIES trusted proxies): behind the proxy, one person's typos do not lock
# out everyone, and a forged header gains nothing.
AXES_CLIENT_IP_CALLABLE = "qse.throttle.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
GUARDIAN_RAISE_403 = False
# Sign-in with the organization's directory (OpenID Connect, qse/oidc.py). The client secrets
# entered on the page are encrypted with this key (derived from SECRET_KEY when unset);
# QSE_OIDC_DIRECTORIES may give issuer / client_id / client_secret per organization slug, as
# JSON, instead of the page: {"biscuiterie": {"client_secret": "..."}}.
QSE_OIDC_SECRET_KEY = os.environ.get("QSE_OIDC_SECRET_KEY", "")
QSE_OIDC_DIRECTORIES = json.loads(os.environ.get("QSE_OIDC_DIRECTORIES", "{}"))
QSE_OIDC_TIMEOUT_SECONDS = float(os.environ.get("QSE_OIDC_TIMEOUT_SECONDS", 10))
# Directory sign-ins started per hour from one client address (each one makes the server call
# the provider; a plant's morning shift often shares one address).
QSE_OIDC_STARTS_PER_ADDRESS = int(os.environ.get("QSE_OIDC_STARTS_PER_ADDRESS", 200))
ANONYMOUS_USER_NAME = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every page (qse/csp.py). Scripts: our own files only (htmx,
# plotly, static/js/qse.js); no inline script or handler. Styles may be inline: the templates
# and plotly's SVG use style attributes, which cannot run code. Workers and the manifest
# from our origin, for the offline pages to come.
QSE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Only if the reverse proxy rewrites Host (most pass it through: leave it off).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST")

# --- Language -------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
# plotly.js comes with the plotly package: served locally, never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("plotly", Path(plotly.__file__).parent / "package_data")]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
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
# A choice of a related record lists at most this many; past it, a search box (qse/widgets.py).
QSE_CHOICES_INLINE = int(os.environ.get("QSE_CHOICES_INLINE", 100))
# A register's PDF details at most this many rows (the most pressing); the overview counts them all.
QSE_REGISTER_PDF_DETAIL_ROWS = int(os.environ.get("QSE_REGISTER_PDF_DETAIL_ROWS", 300))
# A list counts its rows up to this many (or a page beyond the one asked for), then says "more than".
QSE_LIST_COUNT_CAP = int(os.environ.get("QSE_LIST_COUNT_CAP", 10_000))
QSE_UPLOAD_MAX_BYTES = int(os.environ.get("QSE_UPLOAD_MAX_BYTES", 15 * 1024 * 1024))
QSE_IMAGE_MAX_PIXELS = int(os.environ.get("QSE_IMAGE_MAX_PIXELS", 40_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheet imports, checked before the file is parsed (qse/imports.py).
QSE_IMPORT_MAX_BYTES = int(os.environ.get("QSE_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
QSE_IMPORT_MAX_INFLATED_BYTES = int(os.environ.get("QSE_IMPORT_MAX_INFLATED_BYTES", 50 * 1024 * 1024))
QSE_IMPORT_MAX_ROWS = int(os.environ.get("QSE_IMPORT_MAX_ROWS", 20_000))
# Account-less reporting from QR codes: submissions per window, per client address and per
# reporting point (counted in the Redis cache; a plant's Wi-Fi often shares one address);
# QSE_TRUSTED_PROXIES reverse proxies in front tell the client address.
QSE_PUBLIC_REPORT_LIMITS = {
    "per_address": int(os.environ.get("QSE_PUBLIC_REPORT_PER_ADDRESS", 20)),
    "per_point": int(os.environ.get("QSE_PUBLIC_REPORT_PER_POINT", 60)),
    "window_seconds": 3600,
}
QSE_TRUSTED_PROXIES = int(os.environ.get("QSE_TRUSTED_PROXIES", 0))
# Password-reset mails per window, per account (e-mail address asked) and per client address.
QSE_PASSWORD_RESET_LIMITS = {
    "per_account": int(os.environ.get("QSE_PASSWORD_RESET_PER_ACCOUNT", 3)),
    "per_address": int(os.environ.get("QSE_PASSWORD_RESET_PER_ADDRESS", 10)),
    "window_seconds": 3600,
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pilote QSE <noreply@pilote-qse.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Cache, Celery --------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"*.pdf_*": {"queue": "pdf"}}
# Task modules that are not an app's tasks.py (autodiscovery only imports those).
CELERY_IMPORTS = ["qse.reports", "objectives.sensors_tasks"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then gets 401 with WWW-Authenticate.
        "qse.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "qse.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"public_report": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pilote QSE API",
    "DESCRIPTION": "Integrated Quality / Safety / Environment management system.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Name the choice sets that several models share a field name for.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "improvement.choices.ActionStatus",
        "PlanStatusEnum": "improvement.choices.PlanStatus",
        "EffectivenessResultEnum": "improvement.choices.EffectivenessResult",
        "ProcessKindEnum": "qse.models.tenancy.ProcessKind",
        "EventStatusEnum": "nonconformities.choices.EventStatus",
        "CauseCategoryEnum": "nonconformities.choices.CauseCategory",
        # One name per choice set where several models' fields share a name (kind, status, severity).
        "RoleEnum": "qse.roles.Role",
        "SeverityEnum": "nonconformities.choices.Severity",
        "ObservationSeverityEnum": "compliance.choices.ObservationSeverity",
        "RiskKindEnum": "risks.choices.RiskKind",
        "PolicyKindEnum": "context.choices.PolicyKind",
        "ComplianceStatusEnum": "compliance.choices.ComplianceStatus",
        "ApplicabilityStatusEnum": "compliance.choices.ApplicabilityStatus",
        "ItemStatusEnum": "compliance.choices.ItemStatus",
        "TextStatusEnum": "compliance.choices.TextStatus",
        "VersionStatusEnum": "compliance.choices.VersionStatus",
        "TextKindEnum": "compliance.choices.TextKind",
        "SourceKindEnum": "compliance.choices.SourceKind",
        "InterlocutorKindEnum": "compliance.choices.InterlocutorKind",
        "DocumentKindEnum": "compliance.choices.DocumentKind",
        "IndicatorStatusEnum": "objectives.choices.IndicatorStatus",
        "ObjectiveStatusEnum": "objectives.choices.ObjectiveStatus",
        "DeviceKindEnum": "objectives.sensors_choices.DeviceKind",
        "TeamRoleEnum": "improvement.models.teams.TeamRole",
        "StandardEnum": "qse.standards.Standard",
        "AuditStatusEnum": "audits.choices.AuditStatus",
        "SupplierStatusEnum": "audits.choices.SupplierStatus",
        "OpStatusEnum": "audits.choices.OpStatus",
        "AttendanceStatusEnum": "improvement.models.sessions.AttendanceStatus",
        "ReviewStatusEnum": "improvement.models.review.ReviewStatus",
        "SuggestionStatusEnum": "improvement.models.suggestions.SuggestionStatus",
        "SuggestionDecisionEnum": "improvement.models.suggestions.SuggestionDecision",
        "ProjectStatusEnum": "improvement.models.projects.ProjectStatus",
        "PhaseStatusEnum": "improvement.models.projects.PhaseStatus",
        "WatchDecisionEnum": ["new_text", "new_version", "link", "not_relevant"],  # compliance.api qualification
        "MeterKindEnum": "risks.models.environment_consumption.MeterKind",
        "GhgActivityKindEnum": "risks.ghg.ActivityKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "qse/_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
