"""Where one request's time goes: a baked project's endpoint, called in-process, under cProfile.

Run it with the baked project's Python, from anywhere:

    python benchmarks/profile_request.py PROJECT_DIR user/ [--requests 2000] [--top 25] [--time-only]

It uses the production settings (with the variables they require filled in
for a local run), logs a user in through the API, then calls the endpoint
through Django's WSGI handler, as gunicorn would, and prints the time per
request and the functions that take most of it. With --time-only it prints
the time alone. It runs the seed project too, with the seed's Python and its
settings in DJANGO_SETTINGS_MODULE (see in_process.py).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

API = "/api/accounts/v1/"
EMAIL = "profile@example.com"
PASSWORD = "Blue-Otter-481!"
# Our production settings, on the default bake's SQLite and file cache, with
# limits out of the way: the benchmarks log in and refresh thousands of times.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "profile-only-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "EMAIL_URL": "smtp+tls://mail.invalid:587",
    "FRONTEND_URL": "http://localhost:3000",
    "RATE_LIMIT_LOGIN": "1000000/min",
    "RATE_LIMIT_LOGIN_ACCOUNT": "1000000/min",
    "RATE_LIMIT_TOKEN_REFRESH": "1000000/min",
}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


Answer = tuple[str, list[tuple[str, str]]]


def call(app: WSGIApp, method: str, path: str, body: bytes = b"", cookie: str = "") -> Answer:
    """One request through the WSGI application, as from behind the HTTPS proxy; its status and headers."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "203.0.113.7",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_exc_info: object) -> None:
        answer.update(status=status, headers=headers)

    b"".join(app(environ, start_response))
    return answer["status"], answer["headers"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("endpoint", choices=["user/", "token/verify/", "token/refresh/", "login/"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--time-only", action="store_true", help="print the time per request, without profiling")
    arguments = parser.parse_args()

    os.chdir(arguments.project)
    sys.path.insert(0, str(arguments.project.resolve()))
    for name, value in PRODUCTION_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0)
    get_user_model().objects.filter(email=EMAIL).delete()
    get_user_model().objects.create_user(EMAIL, PASSWORD)  # type: ignore[attr-defined]
    app = get_wsgi_application()

    credentials = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    _, headers = call(app, "POST", API + "login/", credentials)
    cookies = SimpleCookie()
    for name, value in headers:
        if name == "Set-Cookie":
            cookies.load(value)
    from django.conf import settings

    access = cookies[settings.REST_AUTH["JWT_AUTH_COOKIE"]].value
    refresh_name = settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE"]
    state = {"refresh": cookies[refresh_name].value}

    def one_request() -> str:
        if arguments.endpoint == "user/":
            return call(app, "GET", API + "user/", cookie=f"{settings.REST_AUTH['JWT_AUTH_COOKIE']}={access}")[0]
        if arguments.endpoint == "token/verify/":
            return call(app, "POST", API + "token/verify/", json.dumps({"token": access}).encode())[0]
        if arguments.endpoint == "login/":
            return call(app, "POST", API + "login/", credentials)[0]
        status, headers = call(app, "POST", API + "token/refresh/", cookie=f"{refresh_name}={state['refresh']}")
        for name, value in headers:
            if name == "Set-Cookie" and value.strip().startswith(refresh_name + "="):
                state["refresh"] = SimpleCookie(value)[refresh_name].value
        return status

    for _ in range(50):  # warm up
        if not (status := one_request()).startswith("200"):
            raise SystemExit(f"{arguments.endpoint} answered {status}")
    print(f"{arguments.endpoint}: {time_per_request(one_request, arguments.requests):.0f} µs per request")
    if not arguments.time_only:
        report(one_request, arguments.requests, arguments.top)


def time_per_request(one_request: Callable[[], str], requests: int) -> float:
    """The mean time of one request, in microseconds, over this many in a row."""
    started = time.perf_counter()
    for _ in range(requests):
        one_request()
    return (time.perf_counter() - started) / requests * 1e6


def report(one_request: Callable[[], str], requests: int, top: int) -> None:
    """Time requests under the profiler; print where their time goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        one_request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, own_time, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        package = filename.split("site-packages/")[-1].split("/")[0] if "site-packages/" in filename else filename
        by_package[package] = by_package.get(package, 0) + own_time
    total = sum(by_package.values())
    print("\nOwn time by package, under the profiler:")
    for package, own_time in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
        print(f"    {package:<40}{own_time / total:>6.0%}")
    print()
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main()
