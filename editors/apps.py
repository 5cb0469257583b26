from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorsConfig(AppConfig):
    """Who may edit what: the network team, one group per lab, moderation, the translation report.

    Its own app, not a module of home/, because it sits above all content apps: it gives groups
    rights on lab pages (labs) and on the network's pages (home, network), and imports point one
    way (network -> labs -> home), so home must not know about labs. It also owns a small model
    (the lab -> group/collection link) whose migrations then never collide with the content apps'.
    """

    name = "editors"
    verbose_name = _("Editors")

    def ready(self):
        from editors import signals  # noqa: F401  (keeps groups in step with the lab pages)
