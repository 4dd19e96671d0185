from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Importing the module registers its system checks, once the apps are loaded.
        from . import checks  # noqa: F401, PLC0415
