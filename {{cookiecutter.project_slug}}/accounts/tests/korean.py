"""Whether an answer or an email speaks Korean, the language whose catalog the project ships in locale/.

A Korean message holds Hangul and no English word. What it may keep as it is:
the names of protocols, headers and formats, the API's field names, and what
it quotes from the request or links to (in quotes, URLs, addresses, domains).
"""

import re
from collections.abc import Iterator
from typing import Any

from django.core.mail import EmailMessage

HANGUL = re.compile("[\uac00-\ud7a3]")
# Three letters or more, such as "token" or "access_token": shorter runs are units and symbols, such as "0x".
ENGLISH_WORD = re.compile("[A-Za-z]{3,}(?:_[A-Za-z]+)*|[A-Za-z]+(?:_[A-Za-z]+)+")
# Names, not English: a Korean message writes them as they are.
NAMES = frozenset(
    {
        # Protocols and formats.
        "JSON",
        "CSRF",
        "HTTP",
        # JSON's escape of a character by its code, \uXXXX.
        "uXXXX",
        # Headers and methods.
        "Accept",
        "Authorization",
        "Origin",
        "Referer",
        "POST",
        # The fields of a social login, which a message names.
        "code",
        "access_token",
    }
)
# What a message repeats from the request or points to: quoted values, URLs, email addresses, domain
# names; and hexadecimal numbers.
NOT_WORDS = re.compile(r"'[^']*'|\"[^\"]*\"|https?://\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)+\b|\b0x[0-9a-f]+(?![0-9a-f])")
# Members of an answer that name things for programs, not people (when they are no field's list of messages).
CODE_KEYS = frozenset({"code", "token_class", "token_type"})


def english_words(text: str, *names: str) -> list[str]:
    """The English left in a text meant to be Korean: its English words but NAMES and names, or all of it if it
    has no Hangul."""
    if not HANGUL.search(text):
        return [text]
    return [word for word in ENGLISH_WORD.findall(NOT_WORDS.sub(" ", text)) if word not in {*NAMES, *names}]


def messages(body: Any) -> Iterator[str]:
    """The messages of an answer's body, for people: every string in it but codes and type names."""
    if isinstance(body, str):
        yield body
    elif isinstance(body, list):
        for item in body:
            yield from messages(item)
    elif isinstance(body, dict):
        for key, value in body.items():
            if not (key in CODE_KEYS and isinstance(value, str)):
                yield from messages(value)


def assert_korean(response: Any, *names: str) -> None:
    """Every message of the JSON answer is Korean, names aside, and it has one at least."""
    found = list(messages(response.json()))
    assert found, response.content
    untranslated = {message: words for message in found if (words := english_words(message, *names))}
    assert untranslated == {}, response.content.decode()


def assert_korean_email(message: EmailMessage) -> None:
    """The email's subject and its text are Korean."""
    for text in (str(message.subject), str(message.body)):
        assert english_words(text) == [], text
