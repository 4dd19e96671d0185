import pytest

from config.env import EmailServer, cache_url, email_url, require

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


def test_a_redis_cache_gives_up_within_a_second(monkeypatch):
    monkeypatch.setenv("SOME_CACHE_URL", "redis://127.0.0.1:6379/3")

    cache = cache_url("SOME_CACHE_URL", default="locmemcache://")

    assert cache["OPTIONS"] == {"socket_connect_timeout": 1, "socket_timeout": 1}


def test_a_folder_cache_gets_no_redis_options(monkeypatch):
    monkeypatch.delenv("SOME_CACHE_URL", raising=False)

    assert "OPTIONS" not in cache_url("SOME_CACHE_URL", default="filecache:///tmp/cache")
