"""An image with its alternative text, for projects and news posts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadImageMixin(models.Model):
    image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A screenshot or photo, shown on cards and at the top of the page."),
    )
    image_alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt_text:
            raise ValidationError(
                {"image_alt_text": _("Describe the image for people who cannot see it.")}
            )
