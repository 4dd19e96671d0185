"""The JSON parser refuses what DRF's refuses, in the same English words, and in the answer's language otherwise."""

import io

import pytest
from django.utils import translation
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from accounts.tests.korean import english_words
from config.parsers import JSONParser

# Bodies that Python's json module or codecs refuse, each for another reason.
BODIES = {
    "truncated": b"{",
    "no-value": b'{"email": }',
    "no-property-name": b'{"email": 1, }',
    "no-colon": b'{"email" 1}',
    "no-comma": b'{"a": 1 "b": 2}',
    "trailing-comma-in-an-array": b"[1,]",
    "unterminated-string": b'{"a": "b',
    "control-character": b'{"a": "\x01"}',
    "bad-escape": b'{"a": "\\q"}',
    "bad-unicode-escape": b'{"a": "\\u12"}',
    "extra-data": b"{} {}",
    "empty": b"",
    "not-utf8": b"\xff\xfe not utf-8",
    "bad-utf8-sequence": b'{"a": "\xe2\x28\xa1"}',
    "two-bad-bytes": b'"\xe2\x82"',
    "cut-short": b'"\xe2\x82',
    "nan": b'{"email": NaN}',
    "infinity": b"[-Infinity]",
    "huge-number": b'{"n": 1' + b"0" * 10_000 + b"}",
    "huge-negative-number": b'{"n": -1' + b"0" * 10_000 + b"}",
}


def refusal(parser: DRFJSONParser, body: bytes, encoding: str = "utf-8") -> str:
    with pytest.raises(ParseError) as refused:
        parser.parse(io.BytesIO(body), parser_context={"encoding": encoding})
    return str(refused.value.detail)


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES)
def test_in_english_the_refusal_is_drfs_word_for_word(body):
    with translation.override("en"):
        assert refusal(JSONParser(), body) == refusal(DRFJSONParser(), body)


def test_another_encoding_is_refused_as_drf_refuses_it():
    with translation.override("en"):
        assert refusal(JSONParser(), b'"caf\xc3\xa9"', "ascii") == refusal(DRFJSONParser(), b'"caf\xc3\xa9"', "ascii")


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES)
def test_in_korean_the_refusal_is_translated(body):
    with translation.override("ko"):
        korean = refusal(JSONParser(), body)
    with translation.override("en"):
        english = refusal(JSONParser(), body)

    assert korean != english
    assert korean.startswith("JSON 구문 오류 - ")
    assert english_words(korean) == []


def test_what_drf_lets_through_is_refused_too():
    with translation.override("en"):
        assert refusal(JSONParser(), b"[" * 100_000 + b"]" * 100_000) == "JSON parse error - nested too deeply."
        assert refusal(JSONParser(), b'["\\ud800"]') == "JSON parse error - strings must be valid Unicode."


def test_a_json_body_parses():
    assert JSONParser().parse(io.BytesIO(b'{"email": "ada@example.com", "n": [1, 2.5, null]}')) == {
        "email": "ada@example.com",
        "n": [1, 2.5, None],
    }
