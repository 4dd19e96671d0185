"""The environment, as the settings read it.

Variables come from the process environment and, for any it does not set, from
the project's .env file. django-environ does the parsing; the helpers here add
what the settings need on top: a one-line stop for a missing variable, cache
options that Django's Redis backend understands, and email settings for the
running Django version.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")


def require(*names: str) -> None:
    """Stop start-up with one line naming the variables that are unset or empty."""
    missing = [name for name in names if not env.str(name, default="")]
    if missing:
        raise SystemExit(f"Set {', '.join(missing)} in the environment or in .env (see .env.example).")


# Seconds a Redis that does not answer may take, when connecting and after: rate
# limits then let requests through rather than hold them up.
REDIS_TIMEOUT = 1


def cache_url(name: str, default: str) -> dict[str, Any]:
    """The cache that a URL such as redis://host:6379/0?key_prefix=api describes.

    django-environ passes ?key_prefix=, ?timeout= and ?version= to Django's Redis
    backend in lower case, which Django ignores; they are upper-cased here. A
    Redis gets short socket timeouts, so that one that is unreachable fails fast.
    """
    cache: dict[str, Any] = env.cache_url(name, default=default)
    for option in ("key_prefix", "timeout", "version"):
        if option in cache:
            cache[option.upper()] = cache.pop(option)
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        timeouts = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
        cache["OPTIONS"] = {**timeouts, **cache.get("OPTIONS", {})}
    return cache


def origin_of(url: str) -> str:
    """The origin of a URL, as browsers send it in the Origin header: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class EmailServer:
    """Where email goes, from one URL such as smtp+tls://user:password@smtp.example.com:587."""

    backend: str
    host: str | None = None
    port: int | None = None
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int | None = None
    file_path: str = ""

    def mailer(self) -> dict[str, Any]:
        """An entry of MAILERS (Django 6.1+): the backend, and the options the URL sets."""
        options = {
            "host": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password,
            "use_tls": self.use_tls,
            "use_ssl": self.use_ssl,
            "timeout": self.timeout,
            "file_path": self.file_path,
        }
        return {"BACKEND": self.backend, "OPTIONS": {name: value for name, value in options.items() if value}}


def email_url(name: str, default: str) -> EmailServer:
    """The email server that the variable `name` describes; an empty value counts as unset."""
    config = env.email_url_config(env.str(name, default="") or default)
    return EmailServer(
        backend=config["EMAIL_BACKEND"],
        host=config["EMAIL_HOST"],
        port=config["EMAIL_PORT"],
        username=config["EMAIL_HOST_USER"] or "",
        password=config["EMAIL_HOST_PASSWORD"] or "",
        use_tls=config.get("EMAIL_USE_TLS", False),
        use_ssl=config.get("EMAIL_USE_SSL", False),
        timeout=config.get("EMAIL_TIMEOUT"),
        file_path=config["EMAIL_FILE_PATH"],
    )
