"""Check the answers before cookiecutter writes anything.

Each broken rule is reported on one line naming the answer and the rule; any
broken rule stops the bake, and cookiecutter then removes the folder it made.
"""

import json
import keyword
import re
import sys
import urllib.parse
import zoneinfo
from collections.abc import Mapping
from typing import Any

# Rendered as JSON inside a raw string, so quotes or backslashes in an answer
# cannot break this file before it gets the chance to reject them.
ANSWERS_JSON = r"""{
    "project_name": {{ cookiecutter.project_name|tojson }},
    "project_slug": {{ cookiecutter.project_slug|tojson }},
    "jwt_auth_cookie": {{ cookiecutter.jwt_auth_cookie|tojson }},
    "jwt_auth_refresh_cookie": {{ cookiecutter.jwt_auth_refresh_cookie|tojson }},
    "site_id": {{ cookiecutter.site_id|tojson }},
    "time_zone": {{ cookiecutter.time_zone|tojson }},
    "language_code": {{ cookiecutter.language_code|tojson }},
    "database": {{ cookiecutter.database|tojson }},
    "frontend_url": {{ cookiecutter.frontend_url|tojson }},
    "create_superuser": {{ cookiecutter.create_superuser|tojson }},
    "superuser_email": {{ cookiecutter.superuser_email|tojson }}
}"""

# Top-level modules the baked project imports or contains: a project folder
# with one of these names would shadow it wherever that folder is importable.
PROJECT_MODULES = frozenset(
    {
        "accounts",
        "allauth",
        "config",
        "conftest",
        "dj_rest_auth",
        "django",
        "environ",
        "jwt",
        "manage",
        "pytest",
        "pytest_django",
        "requests",
        "rest_framework",
        "rest_framework_simplejwt",
        "tests",
    }
)

# Cookies Django itself sets; a JWT cookie with one of these names would clobber it.
DJANGO_COOKIES = frozenset({"sessionid", "csrftoken", "messages", "django_language"})

# Python's http.cookies refuses attribute names as cookie names, in any case.
COOKIE_ATTRIBUTES = frozenset(
    {"comment", "domain", "expires", "httponly", "max-age", "partitioned", "path", "samesite", "secure", "version"}
)

# Browsers drop cookies with these prefixes unless they are Secure, and
# development serves plain HTTP.
SECURE_ONLY_PREFIXES = ("__host-", "__secure-")

# RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token.
COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

# The sites framework keeps SITE_ID in an AutoField: a signed 32-bit integer.
MAX_SITE_ID = 2**31 - 1

# An IANA time zone name: slash-separated parts such as America/Argentina/Buenos_Aires.
TIME_ZONE = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")

# Django's translation checks: E001 wants this form, E004 the code, or the
# part before its first "-" (en for en-us), in LANGUAGES (those of 5.2 and 6.x).
LANGUAGE_CODE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*")
DJANGO_LANGUAGES = frozenset(
    """
    af ar ar-dz ast az be bg bn br bs ca ckb cs cy da de dsb el en en-au en-gb eo es es-ar es-co es-mx es-ni es-ve
    et eu fa fi fr fy ga gd gl he hi hr hsb hu hy ia id ig io is it ja ka kab kk km kn ko ky lb lt lv mk ml mn mr ms
    my nb ne nl nn os pa pl pt pt-br ro ru sk sl sq sr sr-latn sv sw ta te tg th tk tr tt udm ug uk ur uz vi zh-hans
    zh-hant
    """.split()  # noqa: SIM905 - a block of words reads like the list it is; a literal would take 100 lines
)

# What a frontend URL may hold: no spaces, quotes, backslashes or braces, which
# would break .env or the email link templates built from it.
FRONTEND_URL = re.compile(r"[^\s\"'\\{}<>]+")

# With PostgreSQL, .env's DATABASE_URL names the project's database after its
# slug: not one of the server's own databases (migrating into template1 would
# put the tables into every database created after), and short enough for
# PostgreSQL's 63-byte names with the "test_" that Django's test database adds.
POSTGRESQL_OWN_DATABASES = ("postgres", "template0", "template1")
MAX_POSTGRESQL_NAME = 63
TEST_DATABASE_PREFIX = "test_"

# Deliberately simple: one @, no spaces or quotes, a dot in the domain.
EMAIL = re.compile(r"[^@\s\"\\]+@[^@\s\"\\]+\.[^@\s\"\\]+")
MAX_EMAIL_LENGTH = 254


def check_project_name(name: str) -> str | None:
    # The name is written into Python strings and Markdown headings as it is.
    if not name.strip() or any(character in name for character in '"\\') or not name.isprintable():
        return f"project_name {name!r} must be printable text without double quotes or backslashes."
    return None


def check_project_slug(slug: str) -> str | None:
    if not slug.isidentifier() or not slug.isascii():
        return (
            f"project_slug {slug!r} must be a Python identifier: "
            "ASCII letters, digits and _, not starting with a digit."
        )
    if keyword.iskeyword(slug):
        return f"project_slug {slug!r} must not be a Python keyword."
    if slug in PROJECT_MODULES or slug in sys.stdlib_module_names:
        return f"project_slug {slug!r} must not be the name of a module the project or Python needs."
    return None


def cookie_name_rule(name: str) -> str | None:
    """The rule a JWT cookie name breaks, or None."""
    if not COOKIE_NAME.fullmatch(name):
        return "must be a cookie name: letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265)."
    if name in DJANGO_COOKIES:
        return f"must not be one of Django's own cookies: {', '.join(sorted(DJANGO_COOKIES))}."
    if name.lower() in COOKIE_ATTRIBUTES:
        return "must not be a cookie attribute name such as Path or Expires."
    if name.lower().startswith(SECURE_ONLY_PREFIXES):
        return "must not start with __Host- or __Secure-: browsers drop such cookies over plain HTTP."
    return None


def check_cookie_names(access_cookie: str, refresh_cookie: str) -> list[str]:
    errors = [
        f"{field} {name!r} {rule}"
        for field, name in (("jwt_auth_cookie", access_cookie), ("jwt_auth_refresh_cookie", refresh_cookie))
        if (rule := cookie_name_rule(name))
    ]
    if not errors and access_cookie == refresh_cookie:
        errors.append(f"jwt_auth_refresh_cookie {refresh_cookie!r} must differ from jwt_auth_cookie.")
    return errors


def check_database_name(database: str, slug: str) -> str | None:
    """With PostgreSQL, the database that .env's DATABASE_URL names after the slug."""
    if database != "postgresql":
        return None
    if slug in POSTGRESQL_OWN_DATABASES:
        return (
            f"project_slug {slug!r} must not be one of PostgreSQL's own databases "
            f"({', '.join(POSTGRESQL_OWN_DATABASES)}) with database 'postgresql': "
            "the project's database is named after it."
        )
    longest = MAX_POSTGRESQL_NAME - len(TEST_DATABASE_PREFIX)
    if len(slug) > longest:
        return (
            f"project_slug {slug!r} must be at most {longest} characters with database 'postgresql': "
            f"the database is named after it, and Django's test database adds {TEST_DATABASE_PREFIX!r} "
            f"within PostgreSQL's {MAX_POSTGRESQL_NAME}-character names."
        )
    return None


def check_site_id(site_id: int | str) -> str | None:
    text = str(site_id)
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= MAX_SITE_ID:
        return f"site_id {text!r} must be a whole number from 1 to {MAX_SITE_ID}."
    return None


def check_time_zone(time_zone: str) -> str | None:
    problem = f"time_zone {time_zone!r} must be an IANA time zone name such as 'UTC' or 'Europe/Paris'."
    if not TIME_ZONE.fullmatch(time_zone):
        return problem
    # Listing the time zone database takes a tenth of a second: the default needs no list.
    if time_zone == "UTC":
        return None
    known = zoneinfo.available_timezones()
    # Without a time zone database (Windows without tzdata) only the form can be checked.
    return problem if known and time_zone not in known else None


def check_language_code(language_code: str) -> str | None:
    known = language_code in DJANGO_LANGUAGES or language_code.partition("-")[0] in DJANGO_LANGUAGES
    if not LANGUAGE_CODE.fullmatch(language_code) or not known:
        return f"language_code {language_code!r} must be one of Django's language codes, such as 'en-us' or 'ko'."
    return None


def check_frontend_url(url: str) -> str | None:
    """The frontend's base URL: its origin is the one CORS lets in, and email links start with it."""
    parts = urllib.parse.urlsplit(url)
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        parts = parts._replace(netloc="")
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or not FRONTEND_URL.fullmatch(url)
    ):
        return f"frontend_url {url!r} must be an http or https URL such as 'https://app.example.com', with no query."
    return None


def check_superuser_email(create_superuser: bool, email: str) -> str | None:
    if create_superuser and (len(email) > MAX_EMAIL_LENGTH or not EMAIL.fullmatch(email)):
        return f"superuser_email {email!r} must be an email address such as 'admin@example.com'."
    return None


def check_answers(answers: Mapping[str, Any]) -> list[str]:
    """Return one message per broken rule, in prompt order."""
    errors = [
        check_project_name(answers["project_name"]),
        check_project_slug(answers["project_slug"]),
        *check_cookie_names(answers["jwt_auth_cookie"], answers["jwt_auth_refresh_cookie"]),
        check_site_id(answers["site_id"]),
        check_time_zone(answers["time_zone"]),
        check_language_code(answers["language_code"]),
        check_database_name(answers["database"], answers["project_slug"]),
        check_frontend_url(answers["frontend_url"]),
        check_superuser_email(answers["create_superuser"], answers["superuser_email"]),
    ]
    return [error for error in errors if error]


def main() -> int:
    errors = check_answers(json.loads(ANSWERS_JSON))
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
