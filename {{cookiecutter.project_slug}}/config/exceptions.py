from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the server accepts."
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, which also answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE in JSON, not an HTML 400."""
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge()
    return drf_exception_handler(exc, context)
