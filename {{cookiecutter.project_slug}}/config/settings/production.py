"""Settings for a deployment behind HTTPS.

`manage.py check --deploy` finds nothing to warn about once the required
variables are set.
"""

from config.env import env, require

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MIDDLEWARE, REST_AUTH, REST_FRAMEWORK

# Emails need a real mail server, not the development ones, and links to the real frontend.
require("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "EMAIL_URL", "FRONTEND_URL")
{%- if cookiecutter.use_google_login %}
require("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
require("KAKAO_CLIENT_ID")
{%- endif %}
if env.str("EMAIL_URL").startswith(("consolemail:", "filemail:", "memorymail:", "dummymail:")):
    raise SystemExit(f"EMAIL_URL is {env.str('EMAIL_URL')!r}, which sends nothing: set an SMTP URL for production.")

# Whatever DJANGO_DEBUG or a stray development .env says.
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# HTTPS only, and cookies that never travel without it. The API runs behind one
# proxy (a load balancer) that terminates HTTPS; it also appends the client's
# address to X-Forwarded-For, which rate limits count by.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
REST_FRAMEWORK["NUM_PROXIES"] = env.int("DJANGO_NUM_PROXIES", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
REST_AUTH["JWT_AUTH_SECURE"] = True

# Keep database connections open between requests, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files (the admin's, and Swagger UI's for /api/docs/), served by gunicorn
# itself through WhiteNoise, from what `collectstatic` put in STATIC_ROOT. Each
# file gets a name with a hash of its content and a compressed copy, so browsers
# and CDNs may keep it for ever; a release with new files has new names.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Emails go out from a task: no answer waits on the mail server or fails with
# it, and none takes longer because the address has an account. The tasks wait
# in the database until `manage.py db_worker` runs them.
INSTALLED_APPS.append("django_tasks_db")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
