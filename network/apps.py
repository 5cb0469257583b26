from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """What the labs and the network do: projects, news and events.

    Its own app because these page types live in two places (below a lab, owned by its editors,
    and below the network's indexes), share a topic vocabulary, filters and feeds, and are listed
    across the whole tree; labs/ stays about the labs themselves. Imports point one way:
    network -> labs -> home.
    """

    name = "network"
    verbose_name = _("Projects, news and events")

    def ready(self):
        from network import importing  # noqa: F401  (registers the importer's mappings)
