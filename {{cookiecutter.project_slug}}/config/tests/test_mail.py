import django
import environ
import pytest

from config.mail import email_settings

SMTP = environ.Env.email_url_config("smtp+tls://mailer:s3cret@smtp.example.com:587")


def test_django_5_2_gets_the_email_settings(monkeypatch):
    monkeypatch.setattr(django, "VERSION", (5, 2, 0, "final", 0))

    assert email_settings(SMTP) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
    }


@pytest.mark.parametrize("version", [(6, 1, 0, "final", 0), (7, 0, 0, "final", 0)])
def test_django_6_1_and_later_get_a_default_mailer(monkeypatch, version):
    monkeypatch.setattr(django, "VERSION", version)

    assert email_settings(SMTP) == {
        "MAILERS": {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "smtp.example.com",
                    "port": 587,
                    "username": "mailer",
                    "password": "s3cret",
                    "use_tls": True,
                },
            }
        }
    }


def test_the_console_backend_takes_no_options(monkeypatch):
    monkeypatch.setattr(django, "VERSION", (6, 1, 0, "final", 0))

    mailer = email_settings(environ.Env.email_url_config("consolemail://"))["MAILERS"]["default"]

    assert mailer == {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}
