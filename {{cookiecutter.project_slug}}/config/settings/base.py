"""Settings shared by every environment.

local.py, test.py and production.py start from these. Secrets and anything
that differs between deployments come from the environment, or from the
project's .env file for variables the environment does not set.
"""

from datetime import timedelta
from typing import Any

import django
import django_stubs_ext
from django.conf import global_settings

from config.env import BASE_DIR, cache_url, email_url, env, origin_of{% if cookiecutter.database == "postgresql" or cookiecutter.cache == "redis" %}, require{% endif %}

# Admin classes, forms and views take the model they serve as a type parameter
# in django-stubs; this lets Django's own classes accept it at run time too.
django_stubs_ext.monkeypatch()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# Internationalisation
TIME_ZONE = "{{ cookiecutter.time_zone }}"
LANGUAGE_CODE = "{{ cookiecutter.language_code }}"
USE_I18N = True
USE_TZ = True
# Each answer comes in the language its request asks for (Accept-Language),
# among these, else in LANGUAGE_CODE: English, which the code is written in;
# Korean, into which locale/ translates every message the API can answer; and
# the project's own language.
LANGUAGES = [(code, name) for code, name in global_settings.LANGUAGES if code in {"en", "ko", LANGUAGE_CODE}]
# The project's catalogs, which come before those of Django and the apps: they
# also translate what the apps leave in English.
LOCALE_PATHS = [BASE_DIR / "locale"]

# The django.contrib.sites row whose name and domain emails use.
SITE_ID = {{ cookiecutter.site_id|int }}

# Database
{%- if cookiecutter.database == "postgresql" %}
require("DATABASE_URL")
DATABASES = {"default": env.db("DATABASE_URL")}
{%- else %}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes may write at once. WAL keeps reads going during a
    # write, and IMMEDIATE transactions queue for the write lock (up to `timeout`
    # seconds) instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
{%- endif %}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Applications
INSTALLED_APPS = [
    # django.contrib.admin, with a rate-limited login form (config/admin.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "corsheaders",
    "rest_framework",
    "allauth",
    "allauth.account",
    # dj_rest_auth.registration imports allauth's social account models.
    "allauth.socialaccount",
{%- if cookiecutter.use_google_login %}
    "allauth.socialaccount.providers.google",
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
    "allauth.socialaccount.providers.kakao",
{%- endif %}
    "dj_rest_auth",
    "dj_rest_auth.registration",
    "drf_spectacular",
    # Django 6 has the tasks framework built in; Django 5.2 takes the backport.
    *(["django_tasks"] if django.VERSION < (6, 0) else []),
    "drf_spectacular_sidecar",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: a refusal needs its CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the answer, from the request's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Only the admin shows messages ("The user was changed"), and it has a session to
# keep them in. Django's default storage would first try a signed cookie, whose
# signer it builds on every request, API calls included.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# Errors, with their tracebacks, go to the server's output in every environment:
# Django's default only prints them with DEBUG on, and mails them to ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Static files (the admin's CSS and JavaScript)
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Users and passwords
AUTH_USER_MODEL = "accounts.User"
# allauth's backend extends Django's ModelBackend and finds users by email,
# also when the admin's login form passes the email as `username`.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
# Argon2 hashes new passwords; the others still verify older hashes, which
# Django upgrades to Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.MaximumLengthValidator"},
    # Not a rule: Django tells every entry here when a password has changed, by
    # whatever means, and this one then ends the user's sessions.
    {"NAME": "accounts.password_validation.EndSessionsOnPasswordChange"},
]

{%- if cookiecutter.cache == "redis" %}
# Rate limits count requests in this cache, which every server process and
# machine shares: Redis, where each count is one atomic step.
require("CACHE_URL")
CACHES = {"default": cache_url("CACHE_URL", default="")}
{%- else %}
# Rate limits count requests in this cache, so all server processes must share
# it: by default a folder beside manage.py, which serves one machine; set
# CACHE_URL=redis://host:6379/0 when several machines serve the API.
CACHES = {"default": cache_url("CACHE_URL", default=f"filecache://{BASE_DIR / '.cache'}")}
{%- endif %}

# Email, from one URL: consolemail:// prints it, smtp+tls://user:password@host:587
# sends it. Empty counts as unset here; production settings insist on a value.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
email_server = email_url("EMAIL_URL", default="consolemail://")
if django.VERSION >= (6, 1):
    # Django 6.1 configures email through MAILERS and deprecates the EMAIL_* settings.
    MAILERS = {"default": email_server.mailer()}
else:
    EMAIL_BACKEND = email_server.backend
    EMAIL_HOST = email_server.host or "localhost"
    EMAIL_PORT = email_server.port or 25
    EMAIL_HOST_USER = email_server.username
    EMAIL_HOST_PASSWORD = email_server.password
    EMAIL_USE_TLS = email_server.use_tls
    EMAIL_USE_SSL = email_server.use_ssl
    EMAIL_TIMEOUT = email_server.timeout
    EMAIL_FILE_PATH = email_server.file_path

# The frontend: pages of its origin may call the API with the cookies, and the
# links in emails point into it.
FRONTEND_URL: str = env.str("FRONTEND_URL", default="{{ cookiecutter.frontend_url }}").rstrip("/")
# The pages of your frontend that emails link to: one posts uid, token and the
# new password to password/reset/confirm/, the other the key to
# registration/verify-email/.
PASSWORD_RESET_CONFIRM_URL = env.str(
    "PASSWORD_RESET_CONFIRM_URL", default=FRONTEND_URL + "/password-reset/{uid}/{token}/"
)
EMAIL_VERIFICATION_URL = env.str("EMAIL_VERIFICATION_URL", default=FRONTEND_URL + "/verify-email/{key}/")
# The page where a user asks for a reset link: where the email to an address
# that signs up again points.
PASSWORD_RESET_URL = env.str("PASSWORD_RESET_URL", default=FRONTEND_URL + "/password-reset/")

# Emails go out from a task (accounts/tasks.py), not from the request that asks
# for them. Here tasks run at once, in the request, so development and the tests
# need no worker; production queues them in the database (production.py).
tasks_module = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASKS = {"default": {"BACKEND": f"{tasks_module}.backends.immediate.ImmediateBackend"}}

# CORS (django-cors-headers): the frontend's origin, and any others listed, may
# call the API from the browser with the cookies; other origins get no CORS
# headers, so browsers keep their pages from reading the answers.
CORS_ALLOWED_ORIGINS = [origin_of(FRONTEND_URL), *env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])]
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/"
# A frontend reads how long to wait after a 429.
CORS_EXPOSE_HEADERS = ["Retry-After"]

# django-allauth: sign up and log in with an email address, no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "{{ cookiecutter.email_verification }}"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"

# CSRF: browsers authenticated by the access cookie must send the token, which
# a frontend reads from csrf/ and sends as X-CSRFToken. The origins CORS lets in
# may send it; DJANGO_CSRF_TRUSTED_ORIGINS adds others.
CSRF_TRUSTED_ORIGINS = [*CORS_ALLOWED_ORIGINS, *env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])]

# JWT cookies. SameSite=Lax keeps them off cross-site requests; a frontend on
# another site needs None (and HTTPS). A domain such as .example.com shares them
# with subdomains; unset, they go back to this host only.
JWT_COOKIE_SAMESITE = env.str("JWT_COOKIE_SAMESITE", default="Lax")
JWT_COOKIE_DOMAIN = env.str("JWT_COOKIE_DOMAIN", default="") or None
# The CSRF cookie must travel wherever the JWT cookies do.
CSRF_COOKIE_SAMESITE = JWT_COOKIE_SAMESITE
CSRF_COOKIE_DOMAIN = JWT_COOKIE_DOMAIN

# Django REST framework: every endpoint needs a logged-in user unless its view
# says otherwise; the JWT comes from the Authorization header or the cookie, and
# counts only while its login session lives.
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    # drf-spectacular's, which also lists every operation's error answers.
    "DEFAULT_SCHEMA_CLASS": "accounts.schema.AutoSchemaWithErrors",
    # Views that name a throttle_scope are limited per client address (per user
    # once logged in); a limit answers 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.AtomicScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Password change counts here too: per user, against guessing the old password.
        "login": env.str("RATE_LIMIT_LOGIN", default="10/min"),
        # Logins per account, from any client address.
        "login_account": env.str("RATE_LIMIT_LOGIN_ACCOUNT", default="20/hour"),
        "registration": env.str("RATE_LIMIT_REGISTRATION", default="20/hour"),
        "password_reset": env.str("RATE_LIMIT_PASSWORD_RESET", default="5/hour"),
        "verification_email": env.str("RATE_LIMIT_VERIFICATION_EMAIL", default="5/hour"),
        "token_refresh": env.str("RATE_LIMIT_TOKEN_REFRESH", default="30/min"),
        # The scope dj-rest-auth gives its views; those not limited above are not limited.
        "dj_rest_auth": None,
    },
    # How many proxies in front of the API append to X-Forwarded-For. With the
    # default 0 the client address is the connection's, which no header can fake.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_TOKEN_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_TOKEN_DAYS", default=7)),
    # Each refresh rotates the refresh token; its login session (accounts.LoginSession)
    # knows which one is current, so no blacklist is needed.
    "ROTATE_REFRESH_TOKENS": True,
}
# A refresh token that comes back after it was rotated ends its session, unless
# it comes this soon after the rotation: two tabs refreshing at once.
JWT_REFRESH_REUSE_GRACE = timedelta(seconds=env.int("JWT_REFRESH_REUSE_GRACE_SECONDS", default=10))

# dj-rest-auth: JWTs in HttpOnly cookies, no Django session for API logins.
REST_AUTH = {
    "USE_JWT": True,
    "SESSION_LOGIN": False,
    "TOKEN_MODEL": None,
    # The check accounts.E008 refuses names that are not cookie names, or are the same.
    "JWT_AUTH_COOKIE": env.str("JWT_AUTH_COOKIE", default="{{ cookiecutter.jwt_auth_cookie }}"),
    "JWT_AUTH_REFRESH_COOKIE": env.str("JWT_AUTH_REFRESH_COOKIE", default="{{ cookiecutter.jwt_auth_refresh_cookie }}"),
    # Only the account endpoints, token/refresh/ and logout/ among them, ever see
    # the refresh token (the check accounts.E002 keeps it that way).
    "JWT_AUTH_REFRESH_COOKIE_PATH": env.str("JWT_REFRESH_COOKIE_PATH", default="/api/accounts/v1/"),
    "JWT_AUTH_HTTPONLY": True,
    "JWT_AUTH_SAMESITE": JWT_COOKIE_SAMESITE,
    "JWT_AUTH_COOKIE_DOMAIN": JWT_COOKIE_DOMAIN,
    "JWT_AUTH_COOKIE_USE_CSRF": True,
    "JWT_AUTH_RETURN_EXPIRATION": True,
    "OLD_PASSWORD_FIELD_ENABLED": True,
    # Keeps password change from creating a session just to update its hash.
    "LOGOUT_ON_PASSWORD_CHANGE": True,
    "JWT_SERIALIZER_WITH_EXPIRATION": "accounts.serializers.JWTResponseSerializer",
    "LOGIN_SERIALIZER": "accounts.serializers.LoginSerializer",
    "REGISTER_SERIALIZER": "accounts.serializers.RegisterSerializer",
    "USER_DETAILS_SERIALIZER": "accounts.serializers.UserSerializer",
    "PASSWORD_RESET_SERIALIZER": "accounts.serializers.PasswordResetSerializer",
}

# drf-spectacular: the OpenAPI schema at /api/schema/, browsable at /api/docs/.
SPECTACULAR_SETTINGS = {
    "TITLE": "{{ cookiecutter.project_name }}",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Anyone may read the schema; a stale access cookie must not get in the way.
    "SERVE_AUTHENTICATION": [],
    # Request and response bodies as separate components, so read-only and
    # write-only fields are described exactly.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from this site's static files, not a CDN's latest release.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
{%- if cookiecutter.use_google_login or cookiecutter.use_kakao_login %}

# Social login: config/settings/social.py, to which each provider's module adds
# its app.
{%- endif %}
{%- if cookiecutter.use_google_login %}
from .google import *  # noqa: E402, F403
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
from .kakao import *  # noqa: E402, F403
{%- endif %}
{%- if cookiecutter.use_google_login or cookiecutter.use_kakao_login %}
from .social import *  # noqa: E402, F403
{%- endif %}
