"""Check the answers before cookiecutter writes anything.

Each broken rule is reported on one line naming the answer and the rule; any
broken rule stops the bake, and cookiecutter then removes the folder it made.
"""

import json
import keyword
import re
import sys
import zoneinfo

# Rendered as JSON inside a raw string, so quotes or backslashes in an answer
# cannot break this file before it gets the chance to reject them.
ANSWERS_JSON = r"""{
    "project_slug": {{ cookiecutter.project_slug|tojson }},
    "jwt_auth_cookie": {{ cookiecutter.jwt_auth_cookie|tojson }},
    "jwt_auth_refresh_cookie": {{ cookiecutter.jwt_auth_refresh_cookie|tojson }},
    "site_id": {{ cookiecutter.site_id|tojson }},
    "time_zone": {{ cookiecutter.time_zone|tojson }},
    "language_code": {{ cookiecutter.language_code|tojson }},
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

# RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token.
COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

# The sites framework keeps SITE_ID in an AutoField: a signed 32-bit integer.
MAX_SITE_ID = 2**31 - 1

# The format Django's translation.E001 check accepts for LANGUAGE_CODE.
LANGUAGE_CODE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*(?:@[a-z0-9]{1,20})?", re.IGNORECASE)

# Deliberately simple: one @, no spaces or quotes, a dot in the domain.
EMAIL = re.compile(r"[^@\s\"\\]+@[^@\s\"\\]+\.[^@\s\"\\]+")
MAX_EMAIL_LENGTH = 254


def check_project_slug(slug):
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


def check_cookie_names(access_cookie, refresh_cookie):
    errors = []
    for field, name in (("jwt_auth_cookie", access_cookie), ("jwt_auth_refresh_cookie", refresh_cookie)):
        if not COOKIE_NAME.fullmatch(name):
            errors.append(
                f"{field} {name!r} must be a cookie name: letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265)."
            )
        elif name in DJANGO_COOKIES:
            reserved = ", ".join(sorted(DJANGO_COOKIES))
            errors.append(f"{field} {name!r} must not be one of Django's own cookies: {reserved}.")
    if not errors and access_cookie == refresh_cookie:
        errors.append(f"jwt_auth_refresh_cookie {refresh_cookie!r} must differ from jwt_auth_cookie.")
    return errors


def check_site_id(site_id):
    text = str(site_id)
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= MAX_SITE_ID:
        return f"site_id {text!r} must be a whole number from 1 to {MAX_SITE_ID}."
    return None


def check_time_zone(time_zone):
    known = zoneinfo.available_timezones()
    # Without a time zone database there is nothing to check against.
    if known and time_zone != "UTC" and time_zone not in known:
        return f"time_zone {time_zone!r} must be an IANA time zone name such as 'UTC' or 'Europe/Paris'."
    return None


def check_language_code(language_code):
    if not LANGUAGE_CODE.fullmatch(language_code):
        return f"language_code {language_code!r} must be a language code such as 'en-us' or 'ko'."
    return None


def check_superuser_email(create_superuser, email):
    if create_superuser and (len(email) > MAX_EMAIL_LENGTH or not EMAIL.fullmatch(email)):
        return f"superuser_email {email!r} must be an email address such as 'admin@example.com'."
    return None


def check_answers(answers):
    """Return one message per broken rule, in prompt order."""
    errors = [
        check_project_slug(answers["project_slug"]),
        *check_cookie_names(answers["jwt_auth_cookie"], answers["jwt_auth_refresh_cookie"]),
        check_site_id(answers["site_id"]),
        check_time_zone(answers["time_zone"]),
        check_language_code(answers["language_code"]),
        check_superuser_email(answers["create_superuser"], answers["superuser_email"]),
    ]
    return [error for error in errors if error]


def main():
    errors = check_answers(json.loads(ANSWERS_JSON))
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
