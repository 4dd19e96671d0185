import json

import pytest

VALID = {
    "project_name": "My Auth API",
    "project_slug": "my_auth_api",
    "jwt_auth_cookie": "my-app-auth",
    "jwt_auth_refresh_cookie": "my-refresh-token",
    "site_id": 1,
    "time_zone": "UTC",
    "language_code": "en-us",
    "database": "sqlite",
    "frontend_url": "http://localhost:3000",
    "create_superuser": False,
    "superuser_email": "you@example.com",
}


@pytest.mark.parametrize("name", ["My Auth API", "Café Ünïcode API", "Zoë's API"])
def test_printable_project_names_pass(pre_gen, name):
    assert pre_gen.check_project_name(name) is None


@pytest.mark.parametrize("name", ["", "   ", 'The "Best" API', "Back\\slash", "Two\nLines", "Tab\tName"])
def test_project_names_that_would_break_generated_code_are_refused(pre_gen, name):
    assert pre_gen.check_project_name(name).startswith(f"project_name {name!r} must be printable text")


@pytest.mark.parametrize("slug", ["my_auth_api", "api2", "_private", "Shop"])
def test_identifier_slugs_pass(pre_gen, slug):
    assert pre_gen.check_project_slug(slug) is None


@pytest.mark.parametrize(
    ("slug", "rule"),
    [
        ("my-api", "must be a Python identifier"),
        ("2fast", "must be a Python identifier"),
        ("", "must be a Python identifier"),
        ("café", "must be a Python identifier"),
        ("class", "must not be a Python keyword"),
        ("django", "must not be the name of a module"),
        ("accounts", "must not be the name of a module"),
        ("config", "must not be the name of a module"),
        ("json", "must not be the name of a module"),
    ],
)
def test_bad_slugs_are_named_with_their_rule(pre_gen, slug, rule):
    assert pre_gen.check_project_slug(slug).startswith(f"project_slug {slug!r} {rule}")


@pytest.mark.parametrize("names", [("a", "b"), ("access.token", "Refresh_Token"), ("x!#$%&'*+-.^_`|~", "y")])
def test_token_cookie_names_pass(pre_gen, names):
    assert pre_gen.check_cookie_names(*names) == []


@pytest.mark.parametrize("bad", ["my cookie", "my;cookie", 'my"cookie', "a=b", "", "ünï", "x\\y", "a,b", "(x)"])
def test_cookie_names_outside_rfc_6265_are_refused(pre_gen, bad):
    [error] = pre_gen.check_cookie_names(bad, "refresh")
    assert error.startswith(f"jwt_auth_cookie {bad!r} must be a cookie name")
    [error] = pre_gen.check_cookie_names("access", bad)
    assert error.startswith(f"jwt_auth_refresh_cookie {bad!r} must be a cookie name")


@pytest.mark.parametrize("django_cookie", ["sessionid", "csrftoken"])
def test_djangos_own_cookie_names_are_refused(pre_gen, django_cookie):
    [error] = pre_gen.check_cookie_names(django_cookie, "refresh")
    assert "must not be one of Django's own cookies" in error


@pytest.mark.parametrize("attribute", ["Expires", "path", "Max-Age", "SameSite", "secure", "HttpOnly", "Domain"])
def test_cookie_attribute_names_are_refused(pre_gen, attribute):
    # http.cookies raises CookieError for these, which would make every login a 500.
    [error] = pre_gen.check_cookie_names(attribute, "refresh")
    assert error == f"jwt_auth_cookie {attribute!r} must not be a cookie attribute name such as Path or Expires."


@pytest.mark.parametrize("name", ["__Host-access", "__Secure-access", "__host-access"])
def test_secure_only_prefixes_are_refused(pre_gen, name):
    [error] = pre_gen.check_cookie_names("access", name)
    assert "must not start with __Host- or __Secure-" in error


def test_the_two_cookie_names_must_differ(pre_gen):
    assert pre_gen.check_cookie_names("jwt", "jwt") == [
        "jwt_auth_refresh_cookie 'jwt' must differ from jwt_auth_cookie."
    ]


@pytest.mark.parametrize("slug", ["my_auth_api", "postgres_api", "Template1", "a" * 58])
def test_postgresql_projects_may_take_other_slugs(pre_gen, slug):
    assert pre_gen.check_database_name("postgresql", slug) is None


@pytest.mark.parametrize("slug", ["postgres", "template0", "template1"])
def test_postgresql_projects_must_not_be_named_after_a_database_of_postgresqls_own(pre_gen, slug):
    assert pre_gen.check_database_name("postgresql", slug) == (
        f"project_slug {slug!r} must not be one of PostgreSQL's own databases (postgres, template0, template1) "
        "with database 'postgresql': the project's database is named after it."
    )
    assert pre_gen.check_database_name("sqlite", slug) is None


def test_postgresql_projects_leave_room_for_the_test_databases_prefix(pre_gen):
    slug = "a" * 59

    assert pre_gen.check_database_name("postgresql", slug) == (
        f"project_slug {slug!r} must be at most 58 characters with database 'postgresql': the database is named "
        "after it, and Django's test database adds 'test_' within PostgreSQL's 63-character names."
    )
    assert pre_gen.check_database_name("sqlite", slug) is None


@pytest.mark.parametrize("site_id", [1, "1", "7", 2**31 - 1])
def test_positive_site_ids_pass(pre_gen, site_id):
    assert pre_gen.check_site_id(site_id) is None


@pytest.mark.parametrize("site_id", [0, "0", "-1", "abc", "1.5", "", "٣", 2**31])
def test_other_site_ids_are_refused(pre_gen, site_id):
    assert pre_gen.check_site_id(site_id) == f"site_id {str(site_id)!r} must be a whole number from 1 to 2147483647."


@pytest.mark.parametrize(
    ("time_zone", "ok"),
    [("UTC", True), ("Asia/Seoul", True), ("America/Argentina/Buenos_Aires", True), ("Mars/Olympus", False)],
)
def test_time_zones_must_be_iana_names(pre_gen, time_zone, ok):
    assert (pre_gen.check_time_zone(time_zone) is None) is ok


@pytest.mark.parametrize("time_zone", ["Asia/Seoul", 'Bad"Zone'])
def test_without_a_time_zone_database_the_form_is_still_checked(pre_gen, monkeypatch, time_zone):
    monkeypatch.setattr(pre_gen.zoneinfo, "available_timezones", set)

    assert (pre_gen.check_time_zone(time_zone) is None) is (time_zone == "Asia/Seoul")


@pytest.mark.parametrize("code", ["en-us", "en", "ko", "de-at", "sr-latn", "zh-hans", "pt-br"])
def test_djangos_language_codes_pass(pre_gen, code):
    assert pre_gen.check_language_code(code) is None


@pytest.mark.parametrize("code", ["kr", "xx", "en_US", "EN-US", "", "ko-"])
def test_other_language_codes_are_refused(pre_gen, code):
    assert pre_gen.check_language_code(code) == (
        f"language_code {code!r} must be one of Django's language codes, such as 'en-us' or 'ko'."
    )


@pytest.mark.parametrize(
    "url", ["http://localhost:3000", "http://127.0.0.1:5173", "https://app.example.com", "https://example.com/app/"]
)
def test_frontend_urls_pass(pre_gen, url):
    assert pre_gen.check_frontend_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "localhost:3000",
        "ftp://files.example.com",
        "http://",
        "http://a b.example.com",
        "http://example.com:99999",
        "http://user@example.com",
        "https://example.com/?next=1",
        "https://example.com/#top",
        'https://example.com/"',
        "https://example.com/{uid}",
    ],
)
def test_other_frontend_urls_are_refused(pre_gen, url):
    assert pre_gen.check_frontend_url(url) == (
        f"frontend_url {url!r} must be an http or https URL such as 'https://app.example.com', with no query."
    )


@pytest.mark.parametrize("email", ["admin@example.com", "first.last+tag@sub.example.co.kr"])
def test_superuser_emails_pass(pre_gen, email):
    assert pre_gen.check_superuser_email(True, email) is None


@pytest.mark.parametrize("email", ["", "admin", "admin@localhost", "a b@example.com", 'a"b@example.com', "a@b@c.com"])
def test_bad_superuser_emails_are_refused_only_when_a_superuser_is_wanted(pre_gen, email):
    assert pre_gen.check_superuser_email(True, email).startswith(f"superuser_email {email!r} must be an email")
    assert pre_gen.check_superuser_email(False, email) is None


def test_valid_answers_have_no_errors(pre_gen):
    assert pre_gen.check_answers(VALID) == []


def test_every_broken_rule_is_reported_in_prompt_order(pre_gen):
    answers = {
        **VALID,
        "project_name": "",
        "project_slug": "template1",
        "site_id": 0,
        "database": "postgresql",
        "frontend_url": "ftp://example.com",
        "create_superuser": True,
        "superuser_email": "x",
    }

    assert [error.split()[0] for error in pre_gen.check_answers(answers)] == [
        "project_name",
        "site_id",
        # Broken by the database answer, which comes after site_id.
        "project_slug",
        "frontend_url",
        "superuser_email",
    ]


def test_main_prints_one_line_per_error_and_fails(pre_gen, monkeypatch, capsys):
    monkeypatch.setattr(pre_gen, "ANSWERS_JSON", json.dumps({**VALID, "jwt_auth_cookie": "a b", "site_id": "x"}))

    assert pre_gen.main() == 1

    assert capsys.readouterr().err.splitlines() == [
        "ERROR: jwt_auth_cookie 'a b' must be a cookie name: letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265).",
        "ERROR: site_id 'x' must be a whole number from 1 to 2147483647.",
    ]


def test_main_passes_valid_answers(pre_gen, monkeypatch, capsys):
    monkeypatch.setattr(pre_gen, "ANSWERS_JSON", json.dumps(VALID))

    assert pre_gen.main() == 0
    assert capsys.readouterr().err == ""
