from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    """The OK Labs: lab index, lab pages and what belongs to a lab."""

    name = "labs"
    verbose_name = _("OK Labs")

    def ready(self):
        from labs import importing, signals  # noqa: F401  (importer mapping, publish handlers)
