"""Settings for the test suite: fast, and needing no .env (though one may set DATABASE_URL, say)."""

import os
import tempfile
from pathlib import Path

from config.env import cache_url

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "only-for-tests-6b7e1a0f9c2d4e8a9b3c5d7f1e2a4c6b8d0f2e4a"

# Hashing passwords properly is slow by design; tests only need it to work.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The tests compare messages in English, whatever language the project speaks.
LANGUAGE_CODE = "en-us"

# A private cache, emptied before each test; the live-server tests hand their
# server processes a shared one in TEST_CACHE_URL.
CACHES = {"default": cache_url("TEST_CACHE_URL", default="locmemcache://")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that the live-server tests' processes share it.
    # pytest-django deletes it at the end of the run.
    DATABASES["default"]["TEST"] = {"NAME": Path(tempfile.gettempdir()) / f"test-db-{os.getpid()}.sqlite3"}
