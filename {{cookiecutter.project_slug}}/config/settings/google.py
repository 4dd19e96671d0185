"""Log in with Google: allauth's google provider, its app's client id and secret from the environment."""

from config.env import env

# base.py imports this module at its end, when these are set.
from .base import FRONTEND_URL
from .social import SOCIAL_LOGIN_CALLBACK_URLS, SOCIALACCOUNT_PROVIDERS

SOCIALACCOUNT_PROVIDERS["google"] = {
    "APPS": [
        {
            "client_id": env.str("GOOGLE_CLIENT_ID", default=""),
            "secret": env.str("GOOGLE_CLIENT_SECRET", default=""),
        }
    ],
}
SOCIAL_LOGIN_CALLBACK_URLS["google"] = env.str(
    "GOOGLE_CALLBACK_URL", default=FRONTEND_URL + "/social/google/callback/"
)
