"""Settings shared by every environment.

local.py, test.py and production.py start from these. Secrets and anything
that differs between deployments come from the environment, or from the
project's .env file for variables the environment does not set.
"""

from datetime import timedelta
from pathlib import Path

import environ

from config.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# Internationalisation
TIME_ZONE = "{{ cookiecutter.time_zone }}"
LANGUAGE_CODE = "{{ cookiecutter.language_code }}"
USE_I18N = True
USE_TZ = True

# The django.contrib.sites row whose name and domain emails use.
SITE_ID = {{ cookiecutter.site_id|int }}

# Database
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Applications
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "allauth",
    "allauth.account",
    # dj_rest_auth.registration imports allauth's social account models.
    "allauth.socialaccount",
    "dj_rest_auth",
    "dj_rest_auth.registration",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

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

# Static files (the admin's CSS and JavaScript)
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Users and passwords
AUTH_USER_MODEL = "accounts.User"
# allauth's backend extends Django's ModelBackend and finds users by email,
# also when the admin's login form passes the email as `username`.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Email
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# For example smtp+tls://user:password@smtp.example.com:587 or consolemail://
globals().update(email_settings(env.email_url("EMAIL_URL", default="consolemail://")))

# Where the link in a password reset email points: a page of your frontend
# that posts uid, token and the new password to password/reset/confirm/.
PASSWORD_RESET_CONFIRM_URL = env(
    "PASSWORD_RESET_CONFIRM_URL",
    default="http://localhost:3000/password-reset/{uid}/{token}/",
)

# django-allauth: sign up and log in with an email address, no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"

# Django REST framework: every endpoint needs a logged-in user unless its view
# says otherwise; the JWT comes from the Authorization header or the cookie.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["dj_rest_auth.jwt_auth.JWTCookieAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}

# dj-rest-auth: JWTs in HttpOnly cookies, no Django session for API logins.
REST_AUTH = {
    "USE_JWT": True,
    "SESSION_LOGIN": False,
    "TOKEN_MODEL": None,
    "JWT_AUTH_COOKIE": "{{ cookiecutter.jwt_auth_cookie }}",
    "JWT_AUTH_REFRESH_COOKIE": "{{ cookiecutter.jwt_auth_refresh_cookie }}",
    "JWT_AUTH_HTTPONLY": True,
    "JWT_AUTH_SAMESITE": "Lax",
    "JWT_AUTH_RETURN_EXPIRATION": True,
    "OLD_PASSWORD_FIELD_ENABLED": True,
    # Keeps password change from creating a session just to update its hash.
    "LOGOUT_ON_PASSWORD_CHANGE": True,
    "JWT_SERIALIZER_WITH_EXPIRATION": "accounts.serializers.JWTResponseSerializer",
    "REGISTER_SERIALIZER": "accounts.serializers.RegisterSerializer",
    "USER_DETAILS_SERIALIZER": "accounts.serializers.UserSerializer",
    "PASSWORD_RESET_SERIALIZER": "accounts.serializers.PasswordResetSerializer",
}
