"""Settings for every environment, read from the environment (DESIGN §6).

`DJANGO_DEBUG=1` turns on development mode: missing secrets are generated into a git-ignored
`.env` and only local hosts are allowed. With it off the portal refuses to start without its
secrets and `check --deploy --fail-level WARNING` passes.
"""

import base64
import os
import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = Path(os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env")))

env = environ.Env()
if ENV_FILE.exists():
    env.read_env(str(ENV_FILE), overwrite=False)

DEBUG = env.str("DJANGO_DEBUG", default="0") == "1"

_GENERATED_SECRETS = {
    "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
}


def _ensure_development_secrets() -> None:
    """Write any missing secret into `.env` so development restarts keep the same keys."""
    missing = {name: make() for name, make in _GENERATED_SECRETS.items() if not env.str(name, "")}
    if not missing:
        return
    with ENV_FILE.open("a", encoding="utf-8") as handle:
        for name, value in missing.items():
            handle.write(f"{name}={value}\n")
    ENV_FILE.chmod(0o600)
    env.read_env(str(ENV_FILE), overwrite=False)


if DEBUG:
    _ensure_development_secrets()
else:
    _absent = [name for name in _GENERATED_SECRETS if not env.str(name, "")]
    if _absent:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off, so these secrets must be set in the environment: "
            + ", ".join(_absent)
        )

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
FIELD_ENCRYPTION_KEYS = [key.strip() for key in env.str("FIELD_ENCRYPTION_KEYS").split(",")]
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY")
if BLIND_INDEX_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("BLIND_INDEX_KEY must differ from every FIELD_ENCRYPTION_KEYS key.")

if DEBUG:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
else:
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "portal",
    "partnership",
    "actions",
    "marac",
    "reporting",
    "directory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.public.PublicPagesMiddleware",
    "portal.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.sessions.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.SecondFactorRequiredMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["django.contrib.humanize.templatetags.humanize"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "portal.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/vawg_portal"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "partnership:home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in: allauth, invitation only, email as the login.
ACCOUNT_ADAPTER = "partnership.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
MFA_ADAPTER = "partnership.adapters.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "VAWG Partnership Portal"

# Sign-in throttling lives in PostgreSQL (DESIGN §8).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "portal.throttling.attempted_login"  # the email the attempt named
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False

# Staff sign-in (issue 3): every account proves a second factor; allauth's forms in GOV.UK
# markup; axes alone throttles failed passwords, so allauth's own login_failed limit is off, and
# second-factor codes have their own limit (portal.account_forms.CodeAttemptsLimitMixin).
AXES_ENABLE_ADMIN = False  # attempt logs hold addresses and emails: not in the admin
# allauth's own per-address "login" limit is off too: it lives in the Redis cache, so with Redis
# down the password step would fail; axes (in PostgreSQL) and the proxy's per-address limit
# throttle it instead (docs/deployment.md). Steps that need the cache answer 503 while it is down.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False, "second_factor_code": "5/5m/key"}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_FORMS = {
    "login": "portal.account_forms.LoginForm",
    "reset_password": "portal.account_forms.ResetPasswordForm",
    "reset_password_from_key": "portal.account_forms.ResetPasswordKeyForm",
    "reauthenticate": "portal.account_forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "portal.account_forms.AuthenticateForm",
    "reauthenticate": "portal.account_forms.MfaReauthenticateForm",
    "activate_totp": "portal.account_forms.ActivateTOTPForm",
    "deactivate_totp": "portal.account_forms.DeactivateTOTPForm",
    "generate_recovery_codes": "portal.account_forms.GenerateRecoveryCodesForm",
    "add_webauthn": "portal.account_forms.AddWebAuthnForm",
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Addresses are work emails an administrator invited; the invitation link proves them.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Accounts nobody has signed in to for this long are locked by the scheduled job.
ACCOUNT_DORMANT_DAYS = env.int("ACCOUNT_DORMANT_DAYS", default=90)
# A used TOTP code is remembered in the cache until it expires, so it cannot be replayed; the
# cache must be shared by every web process. Keys hold ids and hashes only, never personal data.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal-cache",
    }
}

# Sessions in PostgreSQL: 15 minutes idle, enforced on the server.
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = 15 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME_SECONDS = 10 * 60 * 60
SESSION_TIMEOUT_WARNING_SECONDS = 2 * 60  # the timeout warning opens this long before the end
SESSION_STATUS_POLL_SECONDS = 60  # how often it asks (passively) how long is left
SESSION_COOKIE_HTTPONLY = True
# Messages ("Role given to <name>.") wait in the database session, not in a cookie of their
# own: staff get only the two strictly necessary cookies the cookies page lists, and no name
# travels in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Flash messages ("Signed in as <name>") live in the session, never in a cookie of their own:
# Django's default keeps them in a `messages` cookie, which is not `__Host-` and names a person.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
PRIVATE_STORAGE_ROOT = Path(
    env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private_media"))
)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="no-reply@vawg-portal.uk")

# Celery: Redis holds queues only, never personal data (DESIGN §8).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Above the render task's hard time limit (300 s): redelivery waits for it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ROUTES = {"reporting.tasks.render_report_run": {"queue": "render"}}
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 600_000  # KiB: a render that grows past this is recycled
CELERY_WORKER_MAX_TASKS_PER_CHILD = 20
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# Accounts unused for ACCOUNT_DORMANT_DAYS are locked each night (portal/tasks.py).
CELERY_BEAT_SCHEDULE["lock-dormant-accounts"] = {
    "task": "portal.tasks.lock_dormant_accounts",
    "schedule": crontab(hour=2, minute=30),
}

# Board reports (reporting/): re-enqueue runs left behind, open next quarter's drafts.
CELERY_BEAT_SCHEDULE["reporting-sweep-runs"] = {
    "task": "reporting.tasks.sweep_report_runs",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["reporting-open-next-quarter"] = {
    "task": "reporting.tasks.open_next_quarter_drafts",
    "schedule": crontab(minute=0, hour=6, day_of_month="1", month_of_year="1,4,7,10"),
}

# Directory (directory/): weekly reminders of services unchecked for six months.
CELERY_BEAT_SCHEDULE["directory-unchecked-services"] = {
    "task": "directory.tasks.remind_editors_of_unchecked_services",
    "schedule": crontab(hour=7, minute=0, day_of_week="monday"),
}

# Directory: the change records that version the published directory, pruned daily.
CELERY_BEAT_SCHEDULE["directory-prune-changes"] = {
    "task": "directory.tasks.prune_directory_changes",
    "schedule": crontab(hour=3, minute=30),
}

# MARAC (marac/): daily reminders to representatives (research, minutes, actions).
CELERY_BEAT_SCHEDULE["marac-reminders"] = {
    "task": "marac.tasks.send_marac_reminders",
    "schedule": crontab(hour=7, minute=30),
}

# MARAC information governance (marac/): exports need a second factor proved within the last
# MARAC_EXPORT_STEP_UP_SECONDS and expire after MARAC_EXPORT_TTL_MINUTES (files deleted by the
# job below); the data protection lead is alerted to MARAC_ALERT_MANY_CASES or more cases
# viewed by one person within MARAC_ALERT_WINDOW_MINUTES, and to reads outside working hours.
MARAC_EXPORT_STEP_UP_SECONDS = env.int("MARAC_EXPORT_STEP_UP_SECONDS", default=300)
MARAC_EXPORT_TTL_MINUTES = env.int("MARAC_EXPORT_TTL_MINUTES", default=60)
MARAC_ALERT_MANY_CASES = env.int("MARAC_ALERT_MANY_CASES", default=20)
MARAC_ALERT_WINDOW_MINUTES = env.int("MARAC_ALERT_WINDOW_MINUTES", default=10)
MARAC_WORKING_HOURS = (8, 18)  # 08:00 to 18:00, Monday to Friday, Europe/London
CELERY_BEAT_SCHEDULE["marac-delete-expired-exports"] = {
    "task": "marac.tasks.delete_expired_exports",
    "schedule": crontab(minute="*/15"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "portal.api_permissions.IsVerifiedStaff",
        "portal.api_permissions.ObjectInScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.api_params.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VAWG Partnership Portal staff API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["portal.api_permissions.IsVerifiedStaff"],
    # One schema name per choice set, so apps' "status" fields never collide.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.ActionStatus",
        "StrategyStatusEnum": "actions.models.StrategyStatus",
        "CaseStatusEnum": "marac.models.CaseStatus",
        "LensEnum": "marac.models.Lens",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.document_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# Security headers (DESIGN §5; django-csp 4 with nonces).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # django-csp's marker, not the string "'nonce'"
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# The one-query benchmark anchor page (bench/, never on in production by default).
BENCHMARK_ANCHOR = env.bool("BENCHMARK_ANCHOR", default=False)

# Public service directory (directory/): where "Exit this page" leaves for.
DIRECTORY_EXIT_URL = env.str("DIRECTORY_EXIT_URL", default="https://www.bbc.co.uk/weather")
# Where reminder emails send service editors (the staff directory pages).
DIRECTORY_STAFF_URL = env.str("DIRECTORY_STAFF_URL", default="http://127.0.0.1:8000/directory/")

# Where links in staff emails (MARAC reminders) point.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

SERVICE_NAME = "VAWG Partnership Portal"
PHASE = env.str("PORTAL_PHASE", default="Beta")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry the full URL; the portal's access log is gunicorn's, without queries.
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # At DEBUG the template engine logs every missing variable with the whole context,
        # decrypted case records included: never below INFO, whatever DJANGO_LOG_LEVEL says.
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
