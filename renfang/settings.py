"""Renfang settings: every value comes from the environment (see .env.example).

A malformed value stops start-up with ImproperlyConfigured naming the variable.
Secrets may be given as files through ``NAME_FILE``.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from renfang.config import Rate, demo_secrets, env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("RENFANG_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("RENFANG_DEBUG", False)
# a laptop or demo makes its own random secrets on first run and keeps them in its data directory
# (never a constant in the code: anyone could read it and sign sessions or sound the demo's terminals)
_DEMO = demo_secrets(DATA_DIR) if DEBUG else {}
_secret = env_str("RENFANG_SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "RENFANG_SECRET_KEY (or RENFANG_SECRET_KEY_FILE) must be set when RENFANG_DEBUG is false"
        )
    _secret = _DEMO["secret_key"]
SECRET_KEY = _secret
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("RENFANG_SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = env_list("RENFANG_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("RENFANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "renfang.core.apps.RenfangAdminConfig",  # the Django admin, signing in through Renfang's own door
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
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "renfang.core",
    "renfang.citymodel",
    "renfang.works",
    "renfang.sirens",
    "renfang.alarms",
    "renfang.evacuation",
    "renfang.approvals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "renfang.core.security.SecurityHeadersMiddleware",
    "renfang.core.ratelimit.FailedSignInThrottleMiddleware",
    "renfang.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "renfang.core.middleware.TwoFactorRequiredMiddleware",
    "renfang.core.middleware.ChangeLogUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "renfang.urls"
WSGI_APPLICATION = "renfang.wsgi.application"
ASGI_APPLICATION = "renfang.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renfang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renfang.core.context_processors.navigation",
                "renfang.alarms.alerts.banner",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'renfang.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = environ.Env.db_url_config(_db_url)
except (ValueError, KeyError) as exc:  # django-environ raises on unknown schemes
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r} is not a database URL this build supports: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE avoids "database is locked"
    # upgrades from read to write transactions under concurrency.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("CONN_MAX_AGE", env_int("RENFANG_DB_CONN_MAX_AGE", 60, minimum=0))
else:
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r}: only sqlite:// and postgres:// are supported")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- users and sign-in -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = env_int("RENFANG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("RENFANG_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("RENFANG_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# administrators, duty officers and commanders always use a second factor; this adds roles to them
TWO_FACTOR_REQUIRED_ROLES = env_list("RENFANG_TWO_FACTOR_ROLES", [])
API_TOKEN_MAX_DAYS = env_int("RENFANG_API_TOKEN_MAX_DAYS", 90, minimum=1, maximum=730)
ENROLMENT_CODE_HOURS = env_int("RENFANG_ENROLMENT_CODE_HOURS", 72, minimum=1, maximum=720)
# the Django admin: off in production unless asked for (everything is managed in the application)
ADMIN_SITE = env_bool("RENFANG_ADMIN_SITE", DEBUG)
OTP_TOTP_ISSUER = env_str("RENFANG_OTP_ISSUER", "Renfang")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_AGE = env_int("RENFANG_SESSION_HOURS", 10, minimum=1) * 3600
SESSION_COOKIE_SECURE = env_bool("RENFANG_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only in production (`manage.py check --deploy` is clean with the defaults); behind a reverse proxy
# that terminates TLS, RENFANG_PROXY_SSL_HEADER=true trusts its X-Forwarded-Proto (and only then)
SECURE_SSL_REDIRECT = env_bool("RENFANG_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("RENFANG_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("RENFANG_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("RENFANG_HSTS_PRELOAD", True)
if env_bool("RENFANG_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# the health check of a load balancer speaks plain HTTP on the inside
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# --- language, time --------------------------------------------------------------------------------------
FORMAT_MODULE_PATH = ["renfang.formats"]  # three-digit groups on the Chinese pages (renfang/formats/zh_Hans)
LANGUAGE_CODE = env_choice("RENFANG_LANGUAGE", "zh-hans", ("zh-hans", "en"))
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files -----------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("RENFANG_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "renfang" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("RENFANG_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
IMPORT_MAX_BYTES = env_int("RENFANG_IMPORT_MAX_MB", 20, minimum=1, maximum=2048) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("RENFANG_IMPORT_MAX_ROWS", 100_000, minimum=1, maximum=10_000_000)
# an import reports its progress every this many rows (each row is written in a transaction of its own)
IMPORT_PROGRESS_ROWS = env_int("RENFANG_IMPORT_PROGRESS_ROWS", 500, minimum=1, maximum=100_000)
OSM_IMPORT_MAX_BYTES = env_int("RENFANG_OSM_IMPORT_MAX_MB", 512, minimum=1, maximum=65536) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- rate limits (requests per client address, or per user for the signed-in API) -----------------------
# a fixed window in the cache: per process on a laptop, shared by every machine through Redis in production
RATE_SIGNIN = Rate.parse(env_str("RENFANG_RATE_SIGNIN", "30/min"), "RENFANG_RATE_SIGNIN")
RATE_API_ANON = Rate.parse(env_str("RENFANG_RATE_API_ANON", "120/min"), "RENFANG_RATE_API_ANON")
RATE_API_USER = Rate.parse(env_str("RENFANG_RATE_API_USER", "1200/min"), "RENFANG_RATE_API_USER")
# the public shelter finder: generous, because during an alert many phones share one mobile-network address
RATE_PUBLIC = Rate.parse(env_str("RENFANG_RATE_PUBLIC", "3000/min"), "RENFANG_RATE_PUBLIC")

# --- API -------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # token first: an unauthenticated API call then gets 401 with a WWW-Authenticate header
        "renfang.core.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["renfang.core.permissions.RegistryPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "renfang.core.api_errors.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "MAX_LIMIT": 1000,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # signed-in callers per user; callers who fail to sign in are limited per address before anything else
    # (renfang.core.ratelimit.FailedSignInThrottleMiddleware: token guessing, anonymous floods)
    "DEFAULT_THROTTLE_CLASSES": ["renfang.core.ratelimit.UserThrottle"],
    # the client's address is REMOTE_ADDR (X-Forwarded-For is whatever the client says)
    "NUM_PROXIES": 0,
    "EXCEPTION_HANDLER": "renfang.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Renfang API",
    "DESCRIPTION": "数字人防综合管理与指挥平台 — REST API. Every list is scoped to the caller's region.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets shared by several fields get one name each (keeps `check --deploy` free of warnings)
    "ENUM_NAME_OVERRIDES": {
        "SirenKindEnum": "renfang.sirens.choices.SirenKind",
        "TransportModeEnum": "renfang.evacuation.choices.TransportMode",
        "ObligationEnum": "renfang.approvals.choices.Obligation",
    },
}

# --- background jobs -------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renfang"}
}
TASKS_IMMEDIATE = env_bool("RENFANG_TASKS_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "renfang",
        "url": REDIS_URL,
        "immediate": TASKS_IMMEDIATE,
        "consumer": {"workers": env_int("RENFANG_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "renfang",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": TASKS_IMMEDIATE,
        "consumer": {"workers": env_int("RENFANG_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }

# --- siren terminals (used from issue 5 on; the demo starts an embedded broker) ---------------------------
MQTT_URL = env_str("MQTT_URL", "mqtt://127.0.0.1:1883")
# the broker account of the alarm service (the broker refuses anonymous clients: docs/deployment.md);
# the demo makes one, with the account of its simulated terminals, and the embedded broker knows both
MQTT_USERNAME = env_str("RENFANG_MQTT_USERNAME", _DEMO.get("mqtt_service_user", ""))
MQTT_PASSWORD = env_str("RENFANG_MQTT_PASSWORD", _DEMO.get("mqtt_service_password", ""))
SIMULATOR_MQTT_USERNAME = env_str("RENFANG_SIMULATOR_MQTT_USERNAME", _DEMO.get("mqtt_simulator_user", ""))
SIMULATOR_MQTT_PASSWORD = env_str("RENFANG_SIMULATOR_MQTT_PASSWORD", _DEMO.get("mqtt_simulator_password", ""))
# the master secret every siren terminal's key derives from (hex, at least 32 bytes); the demo makes one
TERMINAL_MASTER_KEY = env_str("RENFANG_TERMINAL_MASTER_KEY", _DEMO.get("terminal_master_key", ""))
try:
    if TERMINAL_MASTER_KEY and len(bytes.fromhex(TERMINAL_MASTER_KEY)) < 32:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("RENFANG_TERMINAL_MASTER_KEY must be at least 32 bytes written in hex") from None
ALARM_RETRY_SECONDS = env_float("RENFANG_ALARM_RETRY_SECONDS", 5.0, minimum=0.5, maximum=300.0)
ALARM_MAX_ATTEMPTS = env_int("RENFANG_ALARM_MAX_ATTEMPTS", 6, minimum=1, maximum=100)
CAP_SENDER = env_str("RENFANG_CAP_SENDER", "renfang@rfb.invalid")  # e.g. the office's domain; no spaces
CAP_INSTITUTION_CODE = env_str("RENFANG_CAP_INSTITUTION_CODE", "000")  # GB/T 4657 code (3 digits) of the office
if not (len(CAP_INSTITUTION_CODE) == 3 and CAP_INSTITUTION_CODE.isdigit()):
    raise ImproperlyConfigured(f"RENFANG_CAP_INSTITUTION_CODE={CAP_INSTITUTION_CODE!r} must be 3 digits")
ALERT_HOURS = env_float("RENFANG_ALERT_HOURS", 2.0, minimum=0.1, maximum=72.0)
ALARM_DETECT_SECONDS = env_float("RENFANG_ALARM_DETECT_SECONDS", 20.0, minimum=1.0, maximum=600.0)

# --- maps ------------------------------------------------------------------------------------------------
TILE_PROVIDER = env_choice("RENFANG_TILE_PROVIDER", "none", ("none", "osm", "tianditu", "custom"))
TILE_URL = env_str("RENFANG_TILE_URL", "")
TIANDITU_KEY = env_str("TIANDITU_KEY", "")
if TILE_PROVIDER == "custom" and not TILE_URL:
    raise ImproperlyConfigured(
        "RENFANG_TILE_PROVIDER=custom needs RENFANG_TILE_URL (e.g. http://gis.local/{z}/{x}/{y}.png)"
    )
if TILE_PROVIDER == "tianditu" and not TIANDITU_KEY:
    raise ImproperlyConfigured("RENFANG_TILE_PROVIDER=tianditu needs TIANDITU_KEY (or TIANDITU_KEY_FILE)")
MAP_CENTER = env_list("RENFANG_MAP_CENTER", [])  # "lon,lat"; empty = centre of the city's regions
# a location must lie inside the regions' outlines widened by this margin (or say why it does not)
JURISDICTION_MARGIN_M = env_int("RENFANG_JURISDICTION_MARGIN_M", 2000, minimum=0, maximum=100_000)
# a capacity standard outside this range of m² per person is refused as a typing error
M2_PER_PERSON_MIN = env_float("RENFANG_M2_PER_PERSON_MIN", 0.5, minimum=0.01)
M2_PER_PERSON_MAX = env_float("RENFANG_M2_PER_PERSON_MAX", 20.0, minimum=0.1)

# --- public shelter finder ---
WALK_SPEED_KMH = env_float("RENFANG_WALK_SPEED_KMH", 4.0, minimum=1.0, maximum=10.0)
FINDER_MAX_WALK_M = env_int("RENFANG_FINDER_MAX_WALK_M", 5000, minimum=100, maximum=50000)
FINDER_SNAP_M = env_int("RENFANG_FINDER_SNAP_M", 500, minimum=10, maximum=10000)
FINDER_REFRESH_SECONDS = env_float("RENFANG_FINDER_REFRESH_SECONDS", 2.0, minimum=0.0, maximum=3600.0)
# build the finder's index when a web worker starts (off in tests, which build their own cities)
FINDER_WARM_UP = env_bool("RENFANG_FINDER_WARM_UP", True)
# the worker re-runs the standing analyses (coverage, shelter assignment) whose inputs changed, every so many
# minutes (0: never; the home page then only flags them), once the inputs have been quiet for so many seconds
ANALYSIS_REFRESH_MINUTES = env_int("RENFANG_ANALYSIS_REFRESH_MINUTES", 5, minimum=0, maximum=59)
ANALYSIS_REFRESH_QUIET_S = env_int("RENFANG_ANALYSIS_REFRESH_QUIET_S", 120, minimum=0, maximum=86_400)
FINDER_ALGORITHM = env_choice("RENFANG_FINDER_ALGORITHM", "engine", ("engine", "scipy"))

# --- evacuation notices (PDF) ---
# a CJK font file; Debian's fonts-noto-cjk collection (installed by scripts/setup.sh), Simplified Chinese face
# who issues the notices and documents the public reads, and where to ask (printed on them)
OFFICE_NAME = env_str("RENFANG_OFFICE_NAME", "东川市人民防空办公室")
OFFICE_PHONE = env_str("RENFANG_OFFICE_PHONE", "0539-0000000")
OFFICE_ADDRESS = env_str("RENFANG_OFFICE_ADDRESS", "")
# a project approved to build its shelter and without a completion acceptance this long after is 应建未建
APPROVALS_UNBUILT_AFTER_DAYS = env_int("RENFANG_APPROVALS_UNBUILT_AFTER_DAYS", 730)
# the address the public reaches this site at: printed on decisions so that anyone can verify them
PUBLIC_SITE_URL = env_str("RENFANG_PUBLIC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
RENFANG_PDF_FONT = env_str("RENFANG_PDF_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# --- evacuation routing ---
# a routing run also solves the exact quickest evacuation (max-flows on the time-expanded network) when
# nodes x steps stays under this; bigger cities are checked in bench/ (minutes, gigabytes)
# seconds an evacuation routing may spend proving its plan: the exact quickest evacuation where it fits, else
# a plan within 3 % of the proven bound, else CCRP with its bound (docs/adr/003-evacuation-routing.md)
ROUTING_TIME_BUDGET_S = env_float("RENFANG_ROUTING_TIME_BUDGET_S", 5.0, minimum=0.1, maximum=3600.0)

# --- e-mail (notices to administrators: account changes waiting for a second approval) ---
_email = environ.Env.email_url_config(env_str("RENFANG_EMAIL_URL", "consolemail://" if DEBUG else "dummymail://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST, EMAIL_PORT = _email.get("EMAIL_HOST", ""), _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_USER", ""), _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS, EMAIL_USE_SSL = _email.get("EMAIL_USE_TLS", False), _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("RENFANG_EMAIL_FROM", "renfang@localhost")

LOG_LEVEL = env_choice("RENFANG_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # fontTools reports every glyph it subsets into a PDF at INFO
    "loggers": {"huey": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

SITE_NAME = _("Renfang civil air defence platform")

# django-filter names its lookups ("编码 starts with"); it ships zh_CN, not zh_Hans, so the names are ours
FILTERS_VERBOSE_LOOKUPS = {
    "exact": "", "iexact": "", "date": _("date"), "year": _("year"), "month": _("month"),
    "contains": _("contains"), "icontains": _("contains"), "in": _("is one of"),
    "gt": _("above"), "gte": _("at least"), "lt": _("below"), "lte": _("at most"),
    "startswith": _("starts with"), "istartswith": _("starts with"), "endswith": _("ends with"),
    "iendswith": _("ends with"), "range": _("between"), "isnull": _("is empty"),
}  # fmt: skip
