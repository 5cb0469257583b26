"""Keep a lab's short addresses (aliases) in step with Wagtail's redirects on every publish."""

from django.dispatch import receiver
from wagtail.signals import page_published

from labs.models import LabPage


@receiver(page_published, sender=LabPage)
def sync_aliases_on_publish(sender, instance, revision, **kwargs):
    previous = (
        instance.revisions.filter(created_at__lt=revision.created_at)
        .order_by("-created_at")
        .first()
    )
    previous_aliases = previous.content.get("url_aliases", "") if previous else ""
    instance.sync_alias_redirects(previous_aliases=previous_aliases or "")
