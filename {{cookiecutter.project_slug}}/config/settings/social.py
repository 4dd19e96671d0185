"""Log in with a social provider: allauth's social accounts, as the API's logins use them.

base.py imports this module at its end, after the module of each provider,
which adds the provider here.
"""

from typing import Any

# allauth's providers by id, each with its one app: the client id and secret
# come from the environment, never from the database (allauth's SocialApp).
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {}
# The page of the frontend that each provider sends the user back to with a
# code: the redirect URI registered with the provider, which exchanging the
# code must repeat.
SOCIAL_LOGIN_CALLBACK_URLS: dict[str, str] = {}

# Provider answers become API answers (accounts/social/adapter.py).
SOCIALACCOUNT_ADAPTER = "accounts.social.adapter.SocialAccountAdapter"
# A first social login whose address, verified by the provider, belongs to an
# account logs in to that account: the provider vouches for the mailbox, as a
# password reset link would. The account's password stops working if its
# address was never verified here (accounts/social/services.py says why).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
# ...and connects the provider's account to it, so later logins find it by the
# provider's id, even after either address changes.
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# A provider's token serves once, to learn who the user is; none is kept.
SOCIALACCOUNT_STORE_TOKENS = False
# Seconds to wait for a provider before answering 503.
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
