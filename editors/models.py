"""The stable link between a lab and its editor group and image collection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LabEditors(models.Model):
    """One lab's group ("Lab-Redaktion: …") and collection ("Lab: …").

    A lab is identified by the translation key its German page shares with every translation, so
    the link survives renaming the lab (the group and collection are renamed with it) and covers
    the English page too. The group or collection may be deleted in the admin; `sync_lab_editors`
    creates them again.
    """

    lab_key = models.UUIDField(
        _("lab"), unique=True, help_text=_("The translation key shared by the lab's pages.")
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("group"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="lab_editors",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("image collection"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="lab_editors",
    )

    class Meta:
        verbose_name = _("lab editors")
        verbose_name_plural = _("lab editors")

    def __str__(self):
        return self.group.name if self.group else str(self.lab_key)
