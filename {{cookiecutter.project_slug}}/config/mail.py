"""Email settings from one EMAIL_URL, in the form this Django version reads."""

import django

# The MAILERS option that each of django-environ's EMAIL_* settings becomes.
MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
    "EMAIL_FILE_PATH": "file_path",
}


def email_settings(config):
    """Turn the dict of `environ.Env.email_url()` into settings.

    Django 6.1 configures email through MAILERS and deprecates the EMAIL_*
    settings; Django 5.2 knows only EMAIL_*.
    """
    given = {name: value for name, value in config.items() if value not in (None, "")}
    if django.VERSION < (6, 1):
        return given
    options = {MAILER_OPTIONS[name]: value for name, value in given.items() if name in MAILER_OPTIONS}
    return {"MAILERS": {"default": {"BACKEND": given["EMAIL_BACKEND"], "OPTIONS": options}}}
