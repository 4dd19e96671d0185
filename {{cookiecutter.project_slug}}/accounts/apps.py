from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Importing these registers their system checks and schema extensions, once the apps are loaded.
        from . import checks, schema  # noqa: F401, PLC0415
