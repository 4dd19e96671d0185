"""JSON parsing that answers 400, never 500, to whatever a client sends."""

import json
from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser


class JSONParser(BaseJSONParser):
    """DRF's JSON parser, which also refuses what would crash a view later.

    DRF lets through nesting deeper than Python can follow, and lone
    surrogates ("\\ud800") that cannot be encoded into the database or a
    password hash.
    """

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            # Encoding the data again is only a way to find lone surrogates.
            json.dumps(data, ensure_ascii=False).encode()
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - strings must be valid Unicode.") from None
        return data
