"""Errors answered in JSON, with DRF's {"detail": ...} shape, wherever the API can give them."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# URLs under this prefix belong to the API: their 404 is JSON too.
API_PREFIX = "/api/"


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the server accepts."
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, which also answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE in JSON, not an HTML 400."""
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge()
    return drf_exception_handler(exc, context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for a URL that no view matches, such as sessions/<not a UUID>/: JSON under the API, as a view's."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
