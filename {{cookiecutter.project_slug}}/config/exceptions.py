"""Errors answered in JSON, with DRF's {"detail": ...} shape, wherever the API can give them."""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

# URLs under this prefix belong to the API: their 404 and 500 are JSON too.
API_PREFIX = "/api/"
# How long a client waits before it tries again while the database is away.
DATABASE_RETRY_AFTER = 5


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is larger than the server accepts.")
    default_code = "request_too_large"


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is unavailable for a moment. Try again in a few seconds.")
    default_code = "database_unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, which also answers in JSON what Django would answer in HTML.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413. A database that cannot
    be reached (restarting, failing over) is a 503 with Retry-After: the
    connection is dropped after the request, and the next one connects anew.
    """
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge()
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("The database cannot be reached: %s", exc)
        response = drf_exception_handler(DatabaseUnavailable(), context)
        if response is not None:
            response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return drf_exception_handler(exc, context)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500, for an error no view answered: JSON under the API, as a view's."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": gettext("A server error occurred.")}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    return defaults.server_error(request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for a URL that no view matches, such as sessions/<not a UUID>/: JSON under the API, as a view's."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
