"""A frontend on another origin goes through every account flow in a real browser.

Debian's Chromium, driven by Playwright, opens tests/frontend.html, served from
http://localhost:<port A>, against a bake served on http://localhost:<port B>
whose frontend_url is that page's origin. Both on localhost: the same site, so
the SameSite=Lax cookies travel, but different origins, so every call needs CORS
with credentials, and every write CSRF from a trusted origin. A page on a third
port, which CORS does not allow, gets no answer it can read.
"""

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from .helpers import manage, project_env, serving

pytestmark = pytest.mark.xdist_group("browser")

PAGE = Path(__file__).with_name("frontend.html")
API_PATH = "/api/accounts/v1/"
PASSWORD = "quiet-harbor-lantern-42"
NEW_PASSWORD = "amber-falcon-orchard-77"

# Debian's chromium package: its binary (/usr/bin/chromium is a shell wrapper).
# .ci/run installs it; Playwright never downloads a browser of its own.
CHROMIUM = "/usr/lib/chromium/chromium"
# No sandbox as root; no connections of Chromium's own, which this closed network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The variables that would override the bake's answers in .env: the served project runs on its own.
OVERRIDES = ("FRONTEND_URL", "PASSWORD_RESET_CONFIRM_URL", "EMAIL_VERIFICATION_URL", "PASSWORD_RESET_URL")


class PageServer(ThreadingHTTPServer):
    """Serves frontend.html for every path, as a single-page app's server does, on a free port."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.page = b""
        self.origin = f"http://localhost:{self.server_port}"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join()


class PageHandler(BaseHTTPRequestHandler):
    server: PageServer

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.server.page)))
        self.end_headers()
        self.wfile.write(self.server.page)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Frontend:
    project: Path
    origin: str
    # A page on this origin is not allowed by CORS.
    other_origin: str
    api: str
    mailbox: Path
    access_cookie: str
    refresh_cookie: str


@dataclass
class Console:
    """The errors a page logs to its console, and the exceptions it does not catch."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on("console", self.log)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        return page

    def log(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture(scope="module")
def page_servers():
    """The frontend's server, on port A, and a server of a page CORS does not allow, on port C."""
    servers = PageServer(), PageServer()
    yield servers
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def frontend(cookies_session, page_servers, tmp_path_factory):
    """A bake whose frontend_url is the page's origin, with mandatory email verification, served on port B."""
    allowed, other = page_servers
    result = cookies_session.bake(extra_context={"frontend_url": allowed.origin, "email_verification": "mandatory"})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    manage(project, "migrate", "--no-input")
    mailbox = tmp_path_factory.mktemp("mailbox")
    env = {name: value for name, value in project_env().items() if name not in OVERRIDES}
    # Local settings send emails at once, from the request; to files here, for the test to read.
    # django-environ drops the first slash of the path: four slashes make it absolute.
    env["EMAIL_URL"] = f"filemail:///{mailbox}"
    with serving(project, env=env) as base_url:
        api = f"http://localhost:{urlsplit(base_url).port}{API_PATH}"
        page = PAGE.read_text().replace("__API_URL__", api).encode()
        allowed.page = other.page = page
        yield Frontend(
            project=project,
            origin=allowed.origin,
            other_origin=other.origin,
            api=api,
            mailbox=mailbox,
            access_cookie=result.context["jwt_auth_cookie"],
            refresh_cookie=result.context["jwt_auth_refresh_cookie"],
        )


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No {CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser):
    """A browser profile of its own: no cookies from another test."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    yield context
    context.close()


def step(page: Page, console: Console, name: str, *args: Any) -> dict[str, Any]:
    """One call of the page's frontend; its status and body. A call that fails in the browser fails the test."""
    outcome: dict[str, Any] = page.evaluate("([name, args]) => frontend.attempt(name, ...args)", [name, list(args)])
    assert "answer" in outcome, f"{name}: {outcome}; console: {console.errors}"
    answer: dict[str, Any] = outcome["answer"]
    return answer


def open_link(page: Page, console: Console, link: str) -> None:
    page.goto(link)
    assert not console.errors, console.errors


def linked_page_answer(page: Page) -> dict[str, Any]:
    """What the page that an email linked to got from the API, once it has it."""
    result = page.locator("#result")
    expect(result).to_have_attribute("data-status", re.compile(r"."))
    return {"status": result.get_attribute("data-status"), "body": result.text_content()}


def emailed_link(mailbox: Path, address: str, link: str) -> str:
    """The one link matching the regex `link` in the emails to `address`; they may take a moment to land."""
    deadline = time.monotonic() + 10
    while True:
        found = [match for body in email_bodies(mailbox, address) for match in re.findall(link, body)]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(found) == 1, f"{found} in the emails to {address}: {email_bodies(mailbox, address)}"
    return str(found[0])


def email_bodies(mailbox: Path, address: str) -> list[str]:
    """The plain-text bodies of the emails to `address` that Django's file backend wrote."""
    separator = "\n" + "-" * 79 + "\n"
    bodies = []
    for path in sorted(mailbox.glob("*.log")):
        for raw in path.read_bytes().decode().split(separator):
            if not raw.strip():
                continue
            message = email.message_from_string(raw, policy=email.policy.default)
            body = message.get_body(("plain",))
            if message["To"] == address and body is not None:
                bodies.append(body.get_content())
    return bodies


def jwt_cookies(context: BrowserContext, frontend: Frontend) -> dict[str, Any]:
    names = {frontend.access_cookie, frontend.refresh_cookie}
    return {cookie["name"]: cookie for cookie in context.cookies() if cookie["name"] in names}


def sign_up(page: Page, console: Console, frontend: Frontend, address: str) -> None:
    """Sign up, and confirm the address through the page the emailed link opens.

    Verification is mandatory: sign-up answers without cookies, and login waits for the link.
    """
    signed_up = step(page, console, "register", address, PASSWORD)
    assert signed_up == {"status": 201, "body": {"detail": "Verification e-mail sent."}}
    assert jwt_cookies(page.context, frontend) == {}
    link = emailed_link(frontend.mailbox, address, rf"{re.escape(frontend.origin)}/verify-email/[^/\s]+/")
    open_link(page, console, link)
    assert linked_page_answer(page) == {"status": "200", "body": '{"detail":"ok"}'}


def test_a_frontend_on_another_origin_goes_through_every_account_flow(frontend, context):
    console = Console()
    page = console.watch(context.new_page())
    page.goto(frontend.origin + "/")
    address = "ada@example.com"

    sign_up(page, console, frontend, address)

    # Login sets both cookies in the browser, out of the page's reach.
    logged_in = step(page, console, "login", address, PASSWORD)
    assert logged_in["status"] == 200, logged_in
    assert logged_in["body"]["user"]["email"] == address
    assert "refresh" not in logged_in["body"]
    cookies = jwt_cookies(context, frontend)
    assert set(cookies) == {frontend.access_cookie, frontend.refresh_cookie}
    for cookie in cookies.values():
        assert (cookie["domain"], cookie["httpOnly"], cookie["sameSite"]) == ("localhost", True, "Lax"), cookie
    assert cookies[frontend.refresh_cookie]["path"] == API_PATH
    assert frontend.access_cookie not in page.evaluate("document.cookie")

    # The access cookie authenticates reads...
    me = step(page, console, "user")
    assert me["status"] == 200, me
    assert me["body"]["email"] == address

    # ... and, with the CSRF token from csrf/, writes.
    csrf = step(page, console, "csrf")
    assert csrf["status"] == 200, csrf
    updated = step(page, console, "updateUser", {"first_name": "Ada"}, csrf["body"]["csrf_token"])
    assert updated["status"] == 200, updated
    assert updated["body"]["first_name"] == "Ada"

    # The refresh cookie gets a new pair of tokens, in the cookies; the new access token works.
    refreshed = step(page, console, "refresh")
    assert refreshed["status"] == 200, refreshed
    assert "refresh" not in refreshed["body"]
    rotated = jwt_cookies(context, frontend)
    assert rotated[frontend.access_cookie]["value"] == refreshed["body"]["access"]
    for name in (frontend.access_cookie, frontend.refresh_cookie):
        assert rotated[name]["value"] != cookies[name]["value"], name
    assert step(page, console, "user")["status"] == 200

    # A password reset: the emailed link opens the frontend's page, whose form posts the new password.
    requested = step(page, console, "requestPasswordReset", address)
    assert requested["status"] == 200, requested
    link = emailed_link(frontend.mailbox, address, rf"{re.escape(frontend.origin)}/password-reset/[^/\s]+/[^/\s]+/")
    open_link(page, console, link)
    page.fill("#new-password", NEW_PASSWORD)
    page.fill("#repeat-password", NEW_PASSWORD)
    page.click("button[type=submit]")
    reset = linked_page_answer(page)
    assert reset["status"] == "200", reset

    # The new password logs in; logout (which the refresh cookie authenticates) deletes both cookies.
    logged_in_again = step(page, console, "login", address, NEW_PASSWORD)
    assert logged_in_again["status"] == 200, logged_in_again
    logged_out = step(page, console, "logout")
    assert logged_out == {"status": 200, "body": {"detail": "Successfully logged out."}}
    assert jwt_cookies(context, frontend) == {}

    # Every request succeeded: no failed load, no CORS refusal, no uncaught exception.
    assert console.errors == []


# What the page of an origin that CORS does not allow tries, with the user's cookies in the browser.
REFUSED_CALLS = [
    ("user", "user/", ()),
    ("csrf", "csrf/", ()),
    # Its answer would hold an access token.
    ("refresh", "token/refresh/", ()),
    ("login", "login/", ("grace@example.com", PASSWORD)),
]


def names_refusal(refusal: str, message: ConsoleMessage) -> bool:
    return refusal in message.text


def test_a_page_on_an_origin_cors_does_not_allow_reads_nothing(frontend, context):
    console = Console()
    page = console.watch(context.new_page())
    page.goto(frontend.origin + "/")
    sign_up(page, console, frontend, "grace@example.com")
    logged_in = step(page, console, "login", "grace@example.com", PASSWORD)
    assert logged_in["status"] == 200, logged_in
    other_console = Console()
    other_page = other_console.watch(context.new_page())
    other_page.goto(frontend.other_origin + "/")

    for name, path, args in REFUSED_CALLS:
        refusal = f"Access to fetch at '{frontend.api}{path}' from origin '{frontend.other_origin}' has been blocked"
        # The browser says why on the console: CORS, not a server or network failure.
        with other_page.expect_console_message(partial(names_refusal, refusal), timeout=5_000):
            outcome = other_page.evaluate("([name, args]) => frontend.attempt(name, ...args)", [name, list(args)])

            # fetch rejects: the page never sees a status, a header or a body.
            assert outcome == {"error": "TypeError", "message": "Failed to fetch"}, f"{name}: the page read {outcome}"
    assert all("CORS policy" in error or "net::ERR_FAILED" in error for error in other_console.errors), (
        other_console.errors
    )

    # The user's own frontend still reads the user.
    me = step(page, console, "user")
    assert me["status"] == 200, me
    assert console.errors == []


README_EXAMPLE = re.compile(r"^```js\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)
README_API = 'const API = "http://localhost:8000/api/accounts/v1";'


def test_the_baked_readmes_fetch_example_works_in_the_browser(frontend, context):
    console = Console()
    page = console.watch(context.new_page())
    page.goto(frontend.origin + "/")
    address = "linus@example.com"
    sign_up(page, console, frontend, address)
    match = README_EXAMPLE.search((frontend.project / "README.md").read_text())
    assert match, "No ```js example in the baked README"
    assert README_API in match["code"]
    example = match["code"].replace(README_API, f"const API = {frontend.api.rstrip('/')!r};")

    # The example logs in, reads the user, and renames them with the CSRF token, as the README says.
    page.evaluate(f"async ([email, password]) => {{\n{example}\n}}", [address, PASSWORD])

    me = step(page, console, "user")
    assert me["status"] == 200, me
    assert (me["body"]["email"], me["body"]["first_name"]) == (address, "Ada")
    assert console.errors == []
