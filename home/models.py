"""The network's page types and the site's image model."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page


class CustomImage(AbstractImage):
    """The site's image model, ours from the first migration so fields can be added later."""

    admin_form_fields = (*Image.admin_form_fields,)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HomePage(Page):
    """The root of each language's tree: the network's front page."""

    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("One or two sentences that say what Code for Germany is."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
