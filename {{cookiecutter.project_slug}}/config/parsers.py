"""JSON parsing that answers 400, never 500, to whatever a client sends, and says why in the answer's language."""

import codecs
import json
import sys
from collections.abc import Mapping
from typing import IO, Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser

# What Python's json module and codecs say of a body they cannot read, marked
# for the catalogs; DRF would answer them in English, inside its own message.
JSON_DECODE_ERRORS = (
    gettext_noop("Expecting value"),
    gettext_noop("Expecting property name enclosed in double quotes"),
    gettext_noop("Expecting ':' delimiter"),
    gettext_noop("Expecting ',' delimiter"),
    gettext_noop("Illegal trailing comma before end of object"),
    gettext_noop("Illegal trailing comma before end of array"),
    gettext_noop("Unterminated string starting at"),
    gettext_noop("Invalid control character at"),
    gettext_noop("Invalid \\escape"),
    gettext_noop("Invalid \\uXXXX escape"),
    gettext_noop("Extra data"),
)
UNICODE_DECODE_ERRORS = (
    gettext_noop("invalid start byte"),
    gettext_noop("invalid continuation byte"),
    gettext_noop("unexpected end of data"),
    gettext_noop("ordinal not in range(128)"),
)


class JSONParser(BaseJSONParser):
    """DRF's JSON parser, which also refuses what would crash a view later, and translates why it refuses.

    DRF lets through nesting deeper than Python can follow, and lone
    surrogates ("\\ud800") that cannot be encoded into the database or a
    password hash. Its messages, and Python's inside them, stay English; here
    they are the same in English, and translated in the other languages.
    """

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            # Decoded as DRF decodes it, which drops an incomplete character at the end.
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=refuse_constant, parse_int=parse_int)
            # Encoding the data again is only a way to find lone surrogates.
            json.dumps(data, ensure_ascii=False).encode()
        except json.JSONDecodeError as error:
            reason = _("%(message)s: line %(line)d column %(column)d (char %(char)d)") % {
                "message": _(error.msg),
                "line": error.lineno,
                "column": error.colno,
                "char": error.pos,
            }
            raise parse_error(reason) from None
        except UnicodeDecodeError as error:
            raise parse_error(decode_error_reason(error)) from None
        except UnicodeEncodeError:
            raise ParseError(_("JSON parse error - strings must be valid Unicode.")) from None
        except ValueError as error:
            # refuse_constant's or parse_int's, already translated.
            raise parse_error(str(error)) from None
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
        return data


def parse_error(reason: str) -> ParseError:
    return ParseError(_("JSON parse error - %(reason)s") % {"reason": reason})


def refuse_constant(name: str) -> NoReturn:
    """NaN and the infinities, which JSON has not: DRF refuses them too (STRICT_JSON)."""
    raise ValueError(_("Out of range float values are not JSON compliant: %(value)s") % {"value": repr(name)})


def parse_int(digits: str) -> int:
    """An integer, unless it has more digits than Python converts (sys.get_int_max_str_digits())."""
    try:
        return int(digits)
    except ValueError:
        message = _(
            "Exceeds the limit (%(limit)d digits) for integer string conversion: value has %(digits)d digits; "
            "use sys.set_int_max_str_digits() to increase the limit"
        )
        raise ValueError(
            message % {"limit": sys.get_int_max_str_digits(), "digits": len(digits.lstrip("-"))}
        ) from None


def decode_error_reason(error: UnicodeDecodeError) -> str:
    """What Python says of bytes that are not of the body's encoding, in the active language."""
    values = {"encoding": error.encoding, "start": error.start, "end": error.end - 1, "reason": _(error.reason)}
    if error.end - error.start == 1:
        message = _("'%(encoding)s' codec can't decode byte 0x%(byte)02x in position %(start)d: %(reason)s")
        return message % {**values, "byte": error.object[error.start]}
    return _("'%(encoding)s' codec can't decode bytes in position %(start)d-%(end)d: %(reason)s") % values
