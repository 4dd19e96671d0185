from string import Formatter

from django.conf import settings
from django.core.checks import Error, register

RESET_URL_PLACEHOLDERS = ("uid", "token")


@register()
def check_password_reset_confirm_url(app_configs, **kwargs):
    """PASSWORD_RESET_CONFIRM_URL must take exactly the placeholders that reset emails fill in."""
    url = settings.PASSWORD_RESET_CONFIRM_URL
    try:
        placeholders = {name for _, name, _, _ in Formatter().parse(url) if name is not None}
    except ValueError:
        placeholders = None
    if placeholders == set(RESET_URL_PLACEHOLDERS):
        return []
    wanted = " and ".join("{" + name + "}" for name in RESET_URL_PLACEHOLDERS)
    return [
        Error(
            f"PASSWORD_RESET_CONFIRM_URL is {url!r}; it must contain {wanted} and no other placeholder.",
            hint="For example https://app.example.com/password-reset/{uid}/{token}/",
            id="accounts.E001",
        )
    ]
