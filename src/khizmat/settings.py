"""Settings, read from the environment.

Safe defaults for production: DEBUG is off, SECRET_KEY must be given, ALLOWED_HOSTS is empty.
``make run`` sets DEBUG=1 for the local demo. See docs/architecture.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KHIZMAT_DATA_DIR") or Path.cwd() / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Or in a file only the service user reads (`make serve` keeps one in var/; systemd's LoadCredential).
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY (or SECRET_KEY_FILE) environment variable (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "khizmat-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    # Khizmat's apps precede django.contrib.admin so that our registration/* templates win over the admin's.
    "khizmat.tenancy",  # first: its demo and generate steps lay the foundation the other apps build on
    "khizmat.core",
    "khizmat.services",
    "khizmat.queue",
    "khizmat.feedback",
    "khizmat.notifications",
    "khizmat.documents",
    "khizmat.inventory",
    "khizmat.trainings",
    "khizmat.reports",
    "khizmat.billing",
    "khizmat.fieldwork",
    "khizmat.contracts",
    "khizmat.monitoring",  # after the domain apps: its demo step computes their KPIs
    "khizmat.api",
    "khizmat.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khizmat.api.middleware.ApiTokenMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khizmat.core.nostore.NoStoreMiddleware",  # after the user is known (session or API token)
    "khizmat.core.middleware.UserLanguageMiddleware",
    "khizmat.core.uploads.UploadLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Signed-in sessions: expiry, then the second factor, then a password an administrator set must be changed.
    "khizmat.tenancy.security.SessionTimeoutMiddleware",
    "khizmat.tenancy.security.TwoFactorMiddleware",
    "khizmat.tenancy.security.PasswordChangeRequiredMiddleware",
    "khizmat.tenancy.middleware.TenantScopeMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khizmat.urls"
WSGI_APPLICATION = "khizmat.wsgi.application"
AUTH_USER_MODEL = "tenancy.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "khizmat.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------
# SQLite is the embedded default; production and CI use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'khizmat.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# On a Citus coordinator (docs/deploy.md "Citus"): PostgreSQL's backend without GROUP BY on the primary key alone.
if os.environ.get("DATABASE_CITUS", "").lower() in ("1", "true", "yes"):
    DATABASES["default"]["ENGINE"] = "khizmat.core.citus_backend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (several app servers), local memory otherwise --------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Sessions are read from Redis and written through to the database: one query less per request. Not with
    # the local-memory cache, which every worker holds apart (a logout would not reach the other workers).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A user's memberships (read by every request) are cached this long; changes made through the app drop them at once
# (khizmat.tenancy.cache). 0 turns the cache off.
TENANCY_CACHE_SECONDS = int(os.environ.get("TENANCY_CACHE_SECONDS", "60"))

# --- Background tasks (django-tasks; database backend by default) ---------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Route planning (khizmat.fieldwork.planning) --------------------------------------------------------------
# Distances between collection points: straight lines times a road-circuity factor by default, or an OSRM server's
# table service (set FIELDWORK_DISTANCE_PROVIDER to khizmat.fieldwork.planning.distances.OsrmTable and the URL).
FIELDWORK_DISTANCE_PROVIDER = os.environ.get(
    "FIELDWORK_DISTANCE_PROVIDER", "khizmat.fieldwork.planning.distances.StraightLineWithCircuity"
)
FIELDWORK_ROAD_CIRCUITY = float(os.environ.get("FIELDWORK_ROAD_CIRCUITY", "1.35"))
FIELDWORK_TRUCK_SPEED_KMH = float(os.environ.get("FIELDWORK_TRUCK_SPEED_KMH", "25"))
FIELDWORK_OSRM_URL = os.environ.get("FIELDWORK_OSRM_URL", "")  # e.g. http://127.0.0.1:5000
FIELDWORK_OSRM_TIMEOUT = float(os.environ.get("FIELDWORK_OSRM_TIMEOUT", "30"))
# The dispatcher's search runs for the time asked; a number of iterations here also stops it (tests: small days are
# solved long before their time is up, and the same seed then gives the same plan).
FIELDWORK_PLAN_MAX_ITERATIONS = None

# --- SMS to citizens (khizmat.notifications) -----------------------------------------------------------------
# Billing: accounts per transaction of a billing run (each chunk is one INSERT…SELECT and a checkpoint).
BILLING_CHUNK_SIZE = int(os.environ.get("BILLING_CHUNK_SIZE", "20000"))

SMS_ENABLED = env_bool("SMS_ENABLED", True)
SMS_BACKEND = os.environ.get("SMS_BACKEND", "khizmat.notifications.backends.ConsoleBackend")
SMS_FILE = os.environ.get("SMS_FILE", str(DATA_DIR / "sms.log") if DEBUG else "")
SMS_SENDER = os.environ.get("SMS_SENDER", "Khizmat")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_AUTH_HEADER = os.environ.get("SMS_HTTP_AUTH_HEADER", "")
SMS_HTTP_PAYLOAD = os.environ.get("SMS_HTTP_PAYLOAD", '{"to": "$phone", "text": "$text", "from": "$sender"}')
SMS_HTTP_ID_FIELD = os.environ.get("SMS_HTTP_ID_FIELD", "id")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "10"))

# --- Open311 GeoReport v2 ------------------------------------------------------------------------------------------
REPORTS_TRIAGE_ORGANIZATION = os.environ.get("REPORTS_TRIAGE_ORGANIZATION", "")
OPEN311_RATE = os.environ.get("OPEN311_RATE", "300/m")
OPEN311_LIST_CACHE_SECONDS = int(os.environ.get("OPEN311_LIST_CACHE_SECONDS", "15"))
# The national portal's directory of organizations (the same for every reader of a language) is rendered once this
# long: a country's hundreds of organizations cost more than the rest of the page. 0 turns it off.
REPORTS_PORTAL_CACHE_SECONDS = int(os.environ.get("REPORTS_PORTAL_CACHE_SECONDS", "60"))
OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "")
OPEN311_KEY_SERVICE = os.environ.get(
    "OPEN311_KEY_SERVICE", "Ask the organization's administrator for an API key."
)

# --- Authentication ---------------------------------------------------------------------------------------------
# The whole design (lockout, passwords, sessions, two-factor) is in docs/architecture.md ("Authentication").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "khizmat.core.passwords.Argon2PasswordHasher",  # OWASP's parameters; the reason is in its docstring
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    # Top 1M breached passwords (those long enough to pass the length rule) and the project's public passwords.
    {"NAME": "khizmat.core.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins (khizmat.tenancy.login_throttle): per (login, address) pair, per address across logins, and per
# login across addresses except from an address the login recently signed in from. Counted over AXES_COOLOFF_TIME.
AXES_HANDLER = "khizmat.tenancy.login_throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_LOGIN_AND_ADDRESS", "10"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "100"))
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", "100"))
LOGIN_KNOWN_ADDRESS_DAYS = 30
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a success resets: its own pair only
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions: signed out after SESSION_IDLE_SECONDS without a request and SESSION_ABSOLUTE_SECONDS after signing in
# (khizmat.tenancy.security.SessionTimeoutMiddleware); the cookie itself lasts no longer.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", "43200"))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

# Two-factor (TOTP, django-otp) for managers, administrators and platform staff. Off only for the local demo
# (`make run`): production keeps it on.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Khizmat"
TWO_FACTOR_BACKUP_CODES = 10

# --- Security headers -------------------------------------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402

# Map tiles (Leaflet). Any XYZ tile server; pages keep working without tiles (address text, "use my location").
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies in front of the app (nginx, a load balancer): how many append to X-Forwarded-For. Rate limits,
# API throttles and login throttling key on the client address found behind them (khizmat.core.clientip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "khizmat.core.clientip.client_ip"
AXES_CLIENT_IP_CALLABLE = "khizmat.core.clientip.client_ip"
# Citizens' personal data in closed records older than this is anonymized by `khizmat anonymize_personal_data`
# (5 years by default; docs/architecture.md "Personal data").
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "1826"))
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over TLS (docs/deploy.md): plain HTTP is redirected and browsers are told to use HTTPS only (HSTS, a year,
# subdomains of the host too). Without BEHIND_TLS_PROXY both stay off and `check --deploy` says so (W004, W008).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # probes on the app's own port, past the proxy
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS") or (365 * 24 * 3600 if BEHIND_TLS_PROXY else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading commits the whole registered domain (a ministry's, a town's) to HTTPS in every browser: its owner's
# decision, not one installation's. So security.W021 is silenced; SECURE_HSTS_PRELOAD=1 where the owner chose it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Languages --------------------------------------------------------------------------------------------------
# Django's "uz" is Uzbek Latin; Uzbek Cyrillic is a language of its own here (catalog locale/uz_Cyrl).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ru")
LANGUAGES = [
    ("ky", "Кыргызча"),
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ru", "Русский"),
    ("en", "English"),
]
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO["uz-cyrl"] = {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "Ўзбекча"}
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tashkent")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("ky", "uz", "uz-cyrl", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "ru"),
    "uz-cyrl": ("uz", "ru", "en"),
    "uz": ("uz-cyrl", "en"),
}
LANGUAGE_COOKIE_NAME = "khizmat_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static files -----------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
# Request sizes (khizmat.core.uploads): refused with 413 by Content-Length before the body is read.
UPLOAD_MAX_REQUEST_BYTES = 70 * 1024 * 1024  # a form with files: the largest is a 64 MB bank statement
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024  # any other body (JSON of the API and the driver's sync)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # a larger uploaded file is spooled to a temporary file
STORAGES = {
    "default": {"BACKEND": "khizmat.core.storage.FileSystemStorage"},  # a failed write leaves no partial file
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API --------------------------------------------------------------------------------------------------------
# How long a new API token works (khizmat.api.models.ApiToken); its user makes a new one before then.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
REST_FRAMEWORK = {
    # Token first: a request without credentials, or with a bad token, is answered 401 with
    # `WWW-Authenticate: Token` (DRF takes that header from the first class; session first would answer 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "khizmat.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "khizmat.api.schema.KhizmatAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "khizmat.api.filters.KhizmatFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "khizmat.api.pagination.PageWithoutCount",
    "DEFAULT_THROTTLE_CLASSES": [
        "khizmat.api.throttling.UserRateThrottle",
        "khizmat.api.throttling.AnonRateThrottle",
    ],
    # Per client (token or session user); anonymous callers share the per-IP rate.
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "anon": os.environ.get("API_RATE_ANON", "60/min"),
    },
    "EXCEPTION_HANDLER": "khizmat.api.base.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # the throttles' client address, as khizmat.core.clientip finds it
    "COERCE_DECIMAL_TO_STRING": True,
}
from khizmat.api.tags import TAGS as API_TAGS  # noqa: E402  (plain data, no Django import)

SPECTACULAR_SETTINGS = {
    "TITLE": "Khizmat API",
    "DESCRIPTION": "REST API of Khizmat. Authenticate with `Authorization: Token <key>`; choose the organization "
    "with `X-Khizmat-Organization: <code>` when your login belongs to several.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "khizmat.api.schema.EnglishSchemaGenerator",
    "TAGS": [{"name": name, "description": text} for name, text in API_TAGS.items()],
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "khizmat.services.choices.ApplicationStatus",
        "TicketStatusEnum": "khizmat.queue.choices.TicketStatus",
        "CaseStatusEnum": "khizmat.feedback.choices.CaseStatus",
        "SmsStatusEnum": "khizmat.notifications.models.SmsStatus",
        "LanguageEnum": "khizmat.settings.LANGUAGES",
        # Choice sets whose field name another set shares: named here, else spectacular invents hashed names
        # (Kind2b5Enum) and `check --deploy` warns (drf_spectacular.W001).
        "CurrencyEnum": "khizmat.tenancy.choices.Currency",
        "SubscriberKindEnum": "khizmat.billing.choices.SubscriberKind",
        "TariffUnitEnum": "khizmat.billing.choices.TariffUnit",
        "ReportStatusEnum": "khizmat.reports.choices.ReportStatus",
        "EquipmentStatusEnum": "khizmat.inventory.choices.EquipmentStatus",
        "ServiceKindEnum": "khizmat.fieldwork.choices.ServiceKind",
    },
}

# --- Simple history: who changed what ---------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step of every page at INFO: a 300-page notice run would flood the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

KHIZMAT_NAME = _("Khizmat")

# --- Faults and recovery (docs/faults.md) -----------------------------------------------------------------------
# A background task that lost its database connection (PostgreSQL restarted) reconnects after these waits (seconds)
# and continues from its last committed step (khizmat.core.reconnect).
TASKS_RECONNECT_DELAYS = [1, 2, 5, 10, 20, 30]
# Tasks run again when their worker died mid-task (khizmat.core.taskrecovery): each continues from what it committed.
# Any other task left by a dead worker is marked failed (SMS: `khizmat send_pending_sms` queues its message again).
TASKS_RETRY_AFTER_WORKER_LOSS = [
    "khizmat.billing.tasks.execute_billing_run",
    "khizmat.billing.tasks.run_statement_import",
    "khizmat.documents.tasks.generate_document",
    "khizmat.fieldwork.tasks.execute_route_plan",
    "khizmat.monitoring.tasks.refresh_touched",
    "khizmat.monitoring.tasks.refresh_stocks",
]
TASKS_MAX_ATTEMPTS = 3  # a task that killed its worker three times (e.g. out of memory) is failed for good
