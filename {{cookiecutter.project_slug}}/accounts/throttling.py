from rest_framework import throttling


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """A rate limit counted in one atomic step per request, in fixed windows.

    DRF's own throttles read a list of past requests from the cache and write
    it back, so simultaneous requests all read the same list and all pass.
    Here each request increments the counter of the current window instead:
    atomic on Redis (and in-process caches), so a burst cannot get past it.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        self.key = f"{key}:{window}"
        # add() starts the count only if no request has in this window.
        self.cache.add(self.key, 0, timeout=self.duration)
        try:
            count = self.cache.incr(self.key)
        except ValueError:
            # The count expired between the two calls: this request starts a new one.
            self.cache.set(self.key, 1, timeout=self.duration)
            count = 1
        return count <= self.num_requests

    def wait(self):
        return self.window_ends_at - self.now


class ScopedRateThrottle(throttling.ScopedRateThrottle, AtomicRateThrottle):
    """DRF's per-view rate limits (a view's throttle_scope), counted by AtomicRateThrottle."""


class LoginThrottle(AtomicRateThrottle):
    """The login rate limit for login forms outside the API, such as the admin's.

    Its count, per client address, is the one the API's login/ keeps.
    """

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
