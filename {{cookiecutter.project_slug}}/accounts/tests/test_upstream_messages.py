"""The messages of the libraries that the project's catalog translates are the libraries' own, word for word."""

import inspect

import pytest
import rest_framework_simplejwt.authentication
import rest_framework_simplejwt.backends
import rest_framework_simplejwt.exceptions
import rest_framework_simplejwt.tokens
from django.middleware import csrf
from django.utils import translation

from accounts.upstream_messages import CSRF_REASON_PATTERNS, CSRF_REASONS, SIMPLEJWT_MESSAGES, csrf_reason

from .korean import english_words

# Every reason Django's CsrfViewMiddleware gives, as it fills them in.
DJANGO_CSRF_REASONS = [
    csrf.REASON_BAD_ORIGIN % "https://evil.example.net",
    csrf.REASON_NO_REFERER,
    csrf.REASON_BAD_REFERER % "https://evil.example.net/",
    csrf.REASON_MALFORMED_REFERER,
    csrf.REASON_INSECURE_REFERER,
    csrf.REASON_NO_CSRF_COOKIE,
    csrf.REASON_CSRF_TOKEN_MISSING,
    *(f"CSRF cookie {reason}." for reason in (csrf.REASON_INCORRECT_LENGTH, csrf.REASON_INVALID_CHARACTERS)),
    *(
        f"CSRF token from {source} {reason}."
        for source in ("POST", "the 'X-Csrftoken' HTTP header")
        for reason in (csrf.REASON_INCORRECT_LENGTH, csrf.REASON_INVALID_CHARACTERS, "incorrect")
    ),
]
SIMPLEJWT_MODULES = (
    rest_framework_simplejwt.authentication,
    rest_framework_simplejwt.backends,
    rest_framework_simplejwt.exceptions,
    rest_framework_simplejwt.tokens,
)


@pytest.mark.parametrize("reason", DJANGO_CSRF_REASONS)
def test_every_csrf_reason_of_django_is_translated(reason):
    with translation.override("en"):
        assert csrf_reason(reason) == reason
    with translation.override("ko"):
        assert english_words(csrf_reason(reason)) == []


def test_every_csrf_reason_translated_is_one_django_gives():
    given = {
        template
        for pattern, template in CSRF_REASON_PATTERNS
        for reason in DJANGO_CSRF_REASONS
        if pattern.fullmatch(reason)
    }

    assert given == set(CSRF_REASONS)


def test_a_reason_django_may_give_one_day_stays_as_it_is():
    with translation.override("ko"):
        assert csrf_reason("CSRF token is from the future.") == "CSRF token is from the future."


@pytest.mark.parametrize("message", SIMPLEJWT_MESSAGES)
def test_the_simplejwt_messages_are_simplejwts(message):
    source = "".join(inspect.getsource(module) for module in SIMPLEJWT_MODULES)

    assert f'"{message}"' in source
    with translation.override("ko"):
        assert english_words(translation.gettext(message)) == []
