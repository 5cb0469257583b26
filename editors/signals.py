"""Keep the editors' groups in step with the page tree as pages are created and labs renamed.

Django's post_save, not Wagtail's after_create_page hook or page_published: the hook only fires
for pages made in the admin and page_published only on publishing, while lab pages and their
English translations are also made by the importer, by the demo content and by wagtail-localize
(translations and the aliases it creates for missing parents), often as unpublished drafts. A lab
editor must be able to edit such a draft, and its group must exist before anyone publishes.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page

from editors import groups
from labs.models import LabPage


@receiver(post_save)
def keep_editors_in_step(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if isinstance(instance, LabPage):
        lab_saved(instance, created, update_fields)
    elif created and groups.is_network_section(instance):
        network_section_created(instance)


def lab_saved(lab, created, update_fields):
    """A new lab page (in any language) gets its group; a renamed lab renames it."""
    if not created and update_fields is not None and "title" not in update_fields:
        return  # a draft was saved or the page was locked: the live title is unchanged
    link = groups.lab_editors(lab)
    if created:
        groups.grant_lab_pages(link, [lab])
        groups.exempt_labs_from_moderation([lab])


def network_section_created(page):
    """A new section of the network is moderated, and every lab may propose changes there."""
    groups.moderate([page])
    groups.grant_page_permissions(groups.lab_groups(), [page], groups.LAB_PROPOSAL_PERMISSIONS)
