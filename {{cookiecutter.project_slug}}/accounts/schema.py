"""How the OpenAPI schema describes what drf-spectacular cannot find out by itself."""

from drf_spectacular.contrib.rest_auth import SimpleJWTCookieScheme


class SessionJWTScheme(SimpleJWTCookieScheme):
    """SessionJWTAuthentication takes its tokens as dj-rest-auth's does: a Bearer header, or the access cookie."""

    target_class = "accounts.authentication.SessionJWTAuthentication"
