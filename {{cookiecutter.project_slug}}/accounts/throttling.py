"""Rate limits counted in one atomic step per request, so that a burst cannot get past them."""

from typing import TYPE_CHECKING

from rest_framework import throttling
from rest_framework.request import Request

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
        """Count one more request under key in the current window; whether it is within the limit."""
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        self.key = f"{key}:{window}"
        # add() starts the count only if no request has in this window.
        self.cache.add(self.key, 0, timeout=self.duration)
        try:
            count: int = self.cache.incr(self.key)
        except ValueError:
            # The count expired between the two calls: this request starts a new one.
            self.cache.set(self.key, 1, timeout=self.duration)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return self.window_ends_at - self.now


class AtomicScopedRateThrottle(throttling.ScopedRateThrottle, AtomicRateThrottle):
    """DRF's per-view rate limits (a view's throttle_scope), counted atomically by AtomicRateThrottle."""


class LoginFormThrottle(AtomicRateThrottle):
    """The login rate limit, for login forms outside the API such as the admin's.

    It counts per client address, in the same count as the API's login/.
    """

    scope = "login"

    def allow_login_attempt(self, request: "HttpRequest") -> bool:
        if self.rate is None:
            return True
        # get_ident() finds the client address as it does for the API, behind the same proxies.
        ident = self.get_ident(Request(request))
        return self.count_request(self.cache_format % {"scope": self.scope, "ident": ident})
