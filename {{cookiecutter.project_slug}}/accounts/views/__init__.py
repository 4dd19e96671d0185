"""The account endpoints, by concern; accounts/urls.py maps them to their paths.

Endpoints meant for anonymous users skip authentication altogether, so a
stale or broken access cookie can never stop anyone from signing up, logging
in, logging out or resetting a password; nor can a missing CSRF token, which
only requests authenticated by the access cookie need.
"""
