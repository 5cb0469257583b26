"""Blocks of projects: typed links and collaborators."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ProjectLinkKind(models.TextChoices):
    CODE = "code", _("Code repository")
    DEMO = "demo", _("Demo")
    DATA = "data", _("Data source")
    WEBSITE = "website", _("Website")


class ProjectLinkStructValue(blocks.StructValue):
    def display_label(self):
        return self.get("label") or ProjectLinkKind(self.get("kind")).label


class ProjectLinkBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=ProjectLinkKind.choices, default=ProjectLinkKind.CODE
    )
    url = blocks.URLBlock(label=_("URL"))
    label = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        default="",
        max_length=80,
        help_text=_("Optional; the kind's name is used when empty."),
    )

    class Meta:
        icon = "link"
        label = _("Project link")
        template = "blocks/project_link_block.html"
        value_class = ProjectLinkStructValue
        description = _("A link to the project's code, demo, data source or website.")
        preview_value = {"kind": ProjectLinkKind.CODE, "url": "https://github.com/okfde"}


class CollaboratorBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    url = blocks.URLBlock(
        label=_("Profile or website"),
        required=False,
        default="",
        help_text=_("e.g. a GitHub profile."),
    )

    class Meta:
        icon = "user"
        label = _("Collaborator")
        template = "blocks/collaborator_block.html"
        description = _("A person or organisation that works on the project.")
        preview_value = {"name": "Ada Lovelace", "url": "https://github.com/ada"}
