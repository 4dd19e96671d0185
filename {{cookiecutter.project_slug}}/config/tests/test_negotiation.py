"""The shortcut of the content negotiation picks what DRF's own negotiation picks, or refuses what it refuses."""

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.negotiation import ContentNegotiation

# None sends no Accept header at all.
ACCEPT_HEADERS = [
    None,
    "*/*",
    "",
    "application/json",
    "application/json; indent=4",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/json, text/plain, */*",
    "*/*; q=0.5",
    "image/png",
]
RENDERER_SETS = {
    "production": [JSONRenderer()],
    "development": [JSONRenderer(), BrowsableAPIRenderer()],
    "browsable-first": [BrowsableAPIRenderer(), JSONRenderer()],
}


def choice(negotiation: DefaultContentNegotiation, request: Request, renderers, format_suffix=None):
    """What a negotiation selects, as comparable values: the renderer's class and the media type, or the refusal."""
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, format_suffix)
    except NotAcceptable:
        return "406 Not Acceptable"
    except Http404:  # a format that no renderer has
        return "404 Not Found"
    return type(renderer), media_type


@pytest.mark.parametrize("renderers", RENDERER_SETS.values(), ids=RENDERER_SETS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
@pytest.mark.parametrize("accept", ACCEPT_HEADERS)
def test_the_shortcut_agrees_with_drf(accept, query, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/accounts/v1/user/{query}", **headers))

    assert choice(ContentNegotiation(), request, renderers) == choice(DefaultContentNegotiation(), request, renderers)


@pytest.mark.parametrize("format_suffix", ["json", "api"])
def test_a_format_suffix_is_negotiated_as_drf_does(format_suffix):
    request = Request(APIRequestFactory().get("/api/accounts/v1/user/", HTTP_ACCEPT="*/*"))
    renderers = RENDERER_SETS["development"]

    assert choice(ContentNegotiation(), request, renderers, format_suffix) == choice(
        DefaultContentNegotiation(), request, renderers, format_suffix
    )
