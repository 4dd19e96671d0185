"""Log in with a social provider: the provider's code or access token in, a login session out.

A provider's answers arrive before anything is written, and the login itself is
the one password login makes (accounts.views.auth.SessionLoginMixin): no Django
session, ever, and nothing logged in when the answer is an error.
"""
