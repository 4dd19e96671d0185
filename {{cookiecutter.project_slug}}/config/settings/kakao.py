"""Log in with Kakao: allauth's kakao provider, its app's REST API key (and secret, if any) from the environment."""

from config.env import env

# base.py imports this module at its end, when these are set.
from .base import FRONTEND_URL
from .social import SOCIAL_LOGIN_CALLBACK_URLS, SOCIALACCOUNT_PROVIDERS

SOCIALACCOUNT_PROVIDERS["kakao"] = {
    "APPS": [
        {
            # The app's REST API key is its OAuth client id.
            "client_id": env.str("KAKAO_CLIENT_ID", default=""),
            # Only for apps that turned on Kakao's client secret.
            "secret": env.str("KAKAO_CLIENT_SECRET", default=""),
        }
    ],
}
SOCIAL_LOGIN_CALLBACK_URLS["kakao"] = env.str("KAKAO_CALLBACK_URL", default=FRONTEND_URL + "/social/kakao/callback/")
# The app's ID (a number, in Kakao Developers): access tokens must have been
# issued to this app. Unset, logins take only codes.
KAKAO_APP_ID = env.str("KAKAO_APP_ID", default="")
