"""Rate limits counted in one atomic step per request, so that a burst cannot get past them."""

import hashlib
import logging
from typing import TYPE_CHECKING

from rest_framework import throttling
from rest_framework.request import Request

from .email_addresses import normalize_email_address

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    # DRF builds its default throttle classes from the settings while it imports
    # rest_framework.views: this module must not import it in turn.
    from django.http import HttpRequest
    from rest_framework.views import APIView


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """A rate limit counted in one atomic step per request, in fixed windows.

    DRF's own throttles read a list of past requests from the cache and write
    it back, so simultaneous requests all read the same list and all pass.
    Here each request increments the counter of the current window instead:
    atomic on Redis (and in-process caches), so a burst cannot get past it.
    """

    # Set by SimpleRateThrottle from the rate, such as 10 and 60 for "10/min".
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: "APIView") -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        return key is None or self.count_request(key)

    def count_request(self, key: str) -> bool:
        """Count one more request under key in the current window; whether it is within the limit.

        A cache that cannot count (its Redis down, its folder not writable) lets
        the request through, with a warning: an outage of the cache must not lock
        every user out, and the limits count again as soon as it is back.
        """
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        self.key = f"{key}:{window}"
        try:
            count = self.increment(self.key)
        except Exception as error:  # whatever the backend raises when its server is gone
            logger.warning("The %s rate limit is not counted, the cache fails: %s", self.scope, error)
            return True
        return count <= self.num_requests

    def increment(self, key: str) -> int:
        # add() starts the count only if no request has in this window.
        self.cache.add(key, 0, timeout=self.duration)
        try:
            count: int = self.cache.incr(key)
        except ValueError:
            # The count expired between the two calls: this request starts a new one.
            self.cache.set(key, 1, timeout=self.duration)
            count = 1
        return count

    def wait(self) -> float:
        return self.window_ends_at - self.now


class AtomicScopedRateThrottle(throttling.ScopedRateThrottle, AtomicRateThrottle):
    """DRF's per-view rate limits (a view's throttle_scope), counted atomically by AtomicRateThrottle."""


def account_ident(email: str) -> str:
    """The identity an email address counts under, whatever its spelling; a digest, for cache keys."""
    return hashlib.sha256(normalize_email_address(email).encode()).hexdigest()


class LoginAccountThrottle(AtomicRateThrottle):
    """Login attempts per account, from whatever addresses: many clients cannot share out one password's guessing."""

    scope = "login_account"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email:
            return None
        return self.cache_format % {"scope": self.scope, "ident": account_ident(email)}


class FormThrottle(AtomicRateThrottle):
    """A rate limit of the API for a form of Django's admin, counted in the same count as the API's endpoints."""

    def allow_form_post(self, ident: str) -> bool:
        return self.rate is None or self.count_request(self.cache_format % {"scope": self.scope, "ident": ident})


class LoginFormThrottle(FormThrottle):
    """The login limit per client address, for the admin's login form."""

    scope = "login"

    def allow_login_attempt(self, request: "HttpRequest") -> bool:
        # get_ident() finds the client address as it does for the API, behind the same proxies.
        return self.allow_form_post(self.get_ident(Request(request)))


class LoginAccountFormThrottle(FormThrottle):
    """The login limit per account, for the admin's login form, which names the account `username`."""

    scope = "login_account"

    def allow_login_attempt(self, request: "HttpRequest") -> bool:
        email = request.POST.get("username")
        return not email or self.allow_form_post(account_ident(email))


class PasswordChangeFormThrottle(FormThrottle):
    """The password change limit per user, for the admin's own password change form: guesses of the old password."""

    scope = "login"

    def allow_password_change(self, request: "HttpRequest") -> bool:
        return self.allow_form_post(str(request.user.pk))
