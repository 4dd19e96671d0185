"""Settings for the test suite: fast, and needing no .env (though one may set DATABASE_URL, say)."""

from .base import *  # noqa: F403

SECRET_KEY = "only-for-tests-6b7e1a0f9c2d4e8a9b3c5d7f1e2a4c6b8d0f2e4a"

# Hashing passwords properly is slow by design; tests only need it to work.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The tests compare messages in English, whatever language the project speaks.
LANGUAGE_CODE = "en-us"
