"""JSON parsing that answers 4xx, never 500, to whatever a client sends."""

import io
import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class JSONParser(BaseJSONParser):
    """DRF's JSON parser, which also refuses what would crash a view later.

    DRF reads a JSON body however long it is, and lets through nesting deeper
    than Python can follow and lone surrogates ("\\ud800") that cannot be
    encoded into the database or a password hash.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestBodyTooLarge()
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode()
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - strings must be valid Unicode.") from None
        return data
