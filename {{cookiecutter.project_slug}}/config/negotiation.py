"""Content negotiation with a shortcut for the clients that accept any type, as most API calls do."""

from collections.abc import Iterable

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, which parses the Accept header against every renderer on each request.

    A request without an Accept header, or with `*/*` (fetch's default), gets
    the first renderer whatever that parse finds: here it gets it at once.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        accepts_anything = request.META.get("HTTP_ACCEPT", "*/*") == "*/*"
        if accepts_anything and not format_suffix and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            return renderers[0], renderers[0].media_type
        chosen: tuple[BaseRenderer, str] = super().select_renderer(request, renderers, format_suffix)
        return chosen
