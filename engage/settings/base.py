"""Settings shared by every environment.

Secure by default: DEBUG is off and a secret key is required unless a development
settings module relaxes that. Everything that differs between machines is read from
the environment; see the README for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set the SECRET_KEY environment "
            "variable to a long random value (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-key-for-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "engage",
    "home",
    "consultations",
    "wagtail.contrib.forms",
    "engage.wagtail_apps.RedirectsConfig",  # Wagtail's, without its API v3: see there
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "engage.wagtail_apps.SnippetsConfig",
    "engage.wagtail_apps.DocumentsConfig",
    "engage.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "engage.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "home.site_cache.SiteCacheMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "engage.middleware.TwoFactorRequiredMiddleware",
    "engage.admin_input.AdminBadInputMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "engage.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.site_pcn",
            ],
        },
    },
]

WSGI_APPLICATION = "engage.wsgi.application"

# Database: a SQLite file unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# PostgreSQL: parameters sent apart from the query (psycopg's server-side binding), and a
# query run a second time on a connection kept as a prepared statement, so the server plans
# it once per connection rather than on every page (a third of a millisecond for an idea with
# the reader's supports, follows and comments, more than running it takes). Behind a pooler
# that hands each transaction another connection (PgBouncer in transaction mode), set
# DATABASE_PREPARED_STATEMENTS=false.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory unless CACHE_URL names a Redis server (Django's Redis cache, reusing
# its Redis client: engage/cache.py).
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "engage.cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": "engage",
        }
    }
    # A signed-in person's session is read from the shared cache, and written to both it and
    # the database (Django's write-through session store): a query fewer on each page. Only
    # with a cache every process shares, so signing out ends the session in all of them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Visitors' pages are kept whole for this long, per site, until the site's content changes
# (home/page_cache.py); 0 turns that off. Production keeps it off unless CACHE_URL is set.
ENGAGE_PAGE_CACHE_SECONDS = env_int("ENGAGE_PAGE_CACHE_SECONDS", 60)

AUTH_USER_MODEL = "engage.User"

AUTHENTICATION_BACKENDS = [
    "engage.backends.ModelBackend",
    "engage.backends.AuthenticationBackend",  # allauth's
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "engage.storage.StaticFilesStorage"},
}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

# Email: the console unless EMAIL_BACKEND says otherwise (SMTP in production).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Engage <no-reply@engage.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks). "immediate" runs them in the request, for one laptop;
# "database" queues them for `manage.py db_worker` in production.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
_task_backend = os.environ.get("TASK_BACKEND", "immediate")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# Wagtail
WAGTAIL_SITE_NAME = "Engage"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend; on SQLite, with its full-text search safe for any typing
# (engage/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "engage.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's users list would otherwise ask gravatar.com for every user's picture, sending a
# hash of their email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Everyone signs in through allauth, which asks for the authenticator code: /admin/login/
# sends people there (engage.views.AdminLoginRedirectView), and passwords are reset there.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Accounts (django-allauth): residents sign in with their email address.
LOGIN_URL = "account_login"
# Pages that need a sign-in send people to allauth's (it asks for the authenticator code),
# not to Wagtail's password-only form at /_util/login/ (which engage/urls.py shadows too).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Engage: "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"signup": "engage.forms.SignupForm"}
# Sends allauth's emails from a background task (engage/mail.py), not inside the request.
ACCOUNT_ADAPTER = "engage.adapters.AccountAdapter"
# A password reset for an address with no account sends nothing (allauth would otherwise
# email that address to say it has no account); the page shown is the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Rate limits, written out rather than left to allauth's defaults. "ip" counts per client
# address, "key" per email address, "user" per signed-in account; only POSTs count. Behind a
# load balancer every request shares its address unless ALLAUTH_TRUSTED_PROXY_COUNT is set.
ACCOUNT_RATE_LIMITS = {
    # Sign-in attempts (the form posts), whatever their outcome.
    "login": "30/m/ip",
    # Failed sign-ins: stops password guessing against one address and from one client.
    "login_failed": "10/m/ip,5/5m/key",
    # New accounts from one client.
    "signup": "10/m/ip,50/h/ip",
    # Resending the verification email for one address.
    "confirm_email": "1/3m/key",
    # Password reset requests, from one client and for one address.
    "reset_password": "10/m/ip,3/15m/key",
    # Following a password reset link.
    "reset_password_from_key": "20/m/ip",
    # A signed-in user changing their password.
    "change_password": "5/m/user",
}

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes.
# Anyone with an authenticator is asked for a code when they sign in; anyone with an elevated
# role (moderator, staff, PCN lead, place lead, admin) must set one up before they do anything
# else (engage.middleware.TwoFactorRequiredMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Engage"
# Accept the code of the 30 seconds just before or after as well (RFC 6238's advice), so a
# code typed as it changes, or a phone clock a little out, still works. allauth refuses a
# code used once already, so the wider window gives no replay.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "engage.forms.AuthenticateForm",
    "reauthenticate": "engage.forms.ReauthenticateForm",
    "activate_totp": "engage.forms.ActivateTOTPForm",
}

# Bots filling in the sign-up form (engage.forms.SignupForm): a form sent back sooner than
# this many seconds after it was shown is refused, politely.
ENGAGE_SIGNUP_MIN_SECONDS = env_int("ENGAGE_SIGNUP_MIN_SECONDS", 3)

# Cookies and headers. Production adds Secure cookies and HSTS (production.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp). The public site runs no inline script and loads
# nothing from elsewhere but the NHS.UK font (Frutiger, licensed for NHS services and served
# by the NHS.UK design system's own CDN, as nhsuk-frontend's CSS asks). The Wagtail admin gets
# ENGAGE_ADMIN_CSP (engage/middleware.py).
_SELF = "'self'"
NHS_FONTS = "https://assets.nhs.uk"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, NHS_FONTS],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [_SELF],
    }
}
# The Wagtail admin (8.0) still writes inline <script> blocks (date pickers, inline panels,
# filters, the users list) and inline styles, measured in Chromium by
# tests/browser/test_content_security_policy.py, so it needs 'unsafe-inline' for both. It is
# only for signed-in people with a role and two-factor authentication, who see no resident's
# markup unescaped. Inline event handlers (onclick="...": the usual injected script) stay
# blocked by script-src-attr; uploads preview from blob: URLs; the page preview is an iframe of
# the admin itself. Everything else is as strict as the public site.
ENGAGE_ADMIN_CSP = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [_SELF, "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": [_SELF, "'unsafe-inline'"],
    "img-src": [_SELF, "data:", "blob:"],
    "frame-src": [_SELF],
    "frame-ancestors": [_SELF],
}

# Permissions-Policy (django-permissions-policy): no page needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Closing the loop
# Minutes a step of an idea's journey (put in a theme, linked to a priority, answered by an
# update) waits before it is emailed, so steps that happen together arrive in one digest.
ENGAGE_DIGEST_SETTLE_MINUTES = env_int("ENGAGE_DIGEST_SETTLE_MINUTES", 15)

# The open data API (consultations/api/, README "Open data API"): read-only, public, JSON.
# Each view sets its own authentication (none), renderer (JSON) and throttle, so Wagtail's
# admin API keeps DRF's defaults; only the schema class and the rates are set here.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Requests per client address (behind a load balancer, set ENGAGE_API_PROXY_COUNT).
    "DEFAULT_THROTTLE_RATES": {"open_data": os.environ.get("ENGAGE_API_RATE", "120/minute")},
    "NUM_PROXIES": env_int("ENGAGE_API_PROXY_COUNT", 0) or None,
}
# How long an answer of the API is kept and may be kept by others (Cache-Control max-age).
# A page unpublished or made private leaves every answer at once (the site cache
# generation, home/site_cache.py); figures may be this many seconds old.
ENGAGE_API_CACHE_SECONDS = env_int("ENGAGE_API_CACHE_SECONDS", 300)
SPECTACULAR_SETTINGS = {
    "TITLE": "Engage open data API",
    "DESCRIPTION": "Published content of every Engage site: organisations, consultations, "
    'themes, priorities, "You said, we did" updates and accountability figures. Read-only, '
    "public, no personal data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_AUTHENTICATION": [],
    "PREPROCESSING_HOOKS": ["consultations.api.docs.only_open_data"],
}

# Participation
# A published post with this many open reports is hidden until a moderator looks.
ENGAGE_FLAGS_TO_HIDE = env_int("ENGAGE_FLAGS_TO_HIDE", 3)
# How many ideas, comments and reports one person may send: (count, in seconds).
ENGAGE_RATE_LIMITS = {
    "idea": (env_int("ENGAGE_IDEAS_PER_HOUR", 5), 60 * 60),
    "comment": (env_int("ENGAGE_COMMENTS_PER_HOUR", 30), 60 * 60),
    "flag": (env_int("ENGAGE_FLAGS_PER_HOUR", 20), 60 * 60),
    # Taking part without an account (consultations/services/no_account.py): posts sent from
    # one client address, and confirmation emails sent to one email address.
    "no_account_client": (env_int("ENGAGE_NO_ACCOUNT_POSTS_PER_HOUR", 10), 60 * 60),
    "confirmation_email": (env_int("ENGAGE_CONFIRMATION_EMAILS_PER_HOUR", 3), 60 * 60),
}
# How long the link (and code) that confirms a post sent without an account works.
ENGAGE_NO_ACCOUNT_LINK_HOURS = env_int("ENGAGE_NO_ACCOUNT_LINK_HOURS", 24)

# Who took part (consultations/representativeness.py): a breakdown of contributors' equality
# answers is shown only when at least this many of them answered its questions; a group is
# called out as under-heard when its share of contributors is less than this percentage of
# its share of registered patients.
ENGAGE_EQUALITY_MINIMUM_ANSWERS = env_int("ENGAGE_EQUALITY_MINIMUM_ANSWERS", 50)
ENGAGE_EQUALITY_GAP_PERCENT = env_int("ENGAGE_EQUALITY_GAP_PERCENT", 50)

# A Place's and an ICS's leads' screens (their charts, who took part) show figures worked out
# ahead (consultations/snapshots.py), at most this old before a refresh is queued, and say
# so. A quarter of an hour: the figures are months of ideas, read to plan and to report,
# where a post from the last few minutes changes nothing anyone decides; and refreshing
# every Place and ICS that often (`manage.py refresh_rollups`, about a second for an ICS of
# fifty PCNs) costs the task worker little.
ENGAGE_ROLLUP_MAX_AGE_SECONDS = env_int("ENGAGE_ROLLUP_MAX_AGE_SECONDS", 15 * 60)

# Privacy: accounts whose email address was never confirmed are deleted after this many
# days by `manage.py remove_unverified_accounts`.
ENGAGE_UNVERIFIED_ACCOUNT_DAYS = env_int("ENGAGE_UNVERIFIED_ACCOUNT_DAYS", 30)

# How many days each kind of record is kept before `manage.py apply_retention` removes or
# anonymises it, by the rule's key; any key left out keeps its default (the README's table,
# or `manage.py apply_retention --dry-run`). For example {"hidden_posts": 730}.
ENGAGE_RETENTION_DAYS: dict[str, int] = {}
