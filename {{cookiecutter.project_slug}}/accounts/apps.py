from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Importing it registers the system checks, once the apps are loaded. The schema's
        # extensions are registered by config/urls.py, beside the views that need them, so
        # that Django starts without DRF's serializers until the URLconf loads: the bake's
        # migration steps never load it.
        from . import checks  # noqa: F401, PLC0415
