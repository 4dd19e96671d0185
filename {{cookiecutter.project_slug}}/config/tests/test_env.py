import pytest

from config.env import EmailServer, email_url, require

SMTP_URL = "smtp+tls://mailer:s3cret@smtp.example.com:587"
SMTP = EmailServer(
    backend="django.core.mail.backends.smtp.EmailBackend",
    host="smtp.example.com",
    port=587,
    username="mailer",
    password="s3cret",
    use_tls=True,
)


def test_an_smtp_url_names_the_server(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", SMTP_URL)

    assert email_url("EMAIL_URL", default="consolemail://") == SMTP


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_url_takes_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("EMAIL_URL", raising=False)
    else:
        monkeypatch.setenv("EMAIL_URL", value)

    assert email_url("EMAIL_URL", default="consolemail://").backend == "django.core.mail.backends.console.EmailBackend"


def test_a_mailer_takes_the_options_the_url_sets():
    assert SMTP.mailer() == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.com",
            "port": 587,
            "username": "mailer",
            "password": "s3cret",
            "use_tls": True,
        },
    }


def test_the_console_backend_takes_no_options():
    mailer = EmailServer(backend="django.core.mail.backends.console.EmailBackend").mailer()

    assert mailer == {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}


def test_require_names_every_missing_variable_in_one_line(monkeypatch):
    monkeypatch.setenv("SET_VARIABLE", "value")
    monkeypatch.setenv("EMPTY_VARIABLE", "")
    monkeypatch.delenv("UNSET_VARIABLE", raising=False)

    with pytest.raises(SystemExit) as stopped:
        require("SET_VARIABLE", "EMPTY_VARIABLE", "UNSET_VARIABLE")

    assert str(stopped.value) == "Set EMPTY_VARIABLE, UNSET_VARIABLE in the environment or in .env (see .env.example)."
