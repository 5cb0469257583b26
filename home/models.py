"""The network's page types, the site's image model, site settings and the footer snippet."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, SocialLinkBlock


def optional_page_link(verbose_name, help_text):
    """A link to any page that may be empty and is cleared when the page is deleted."""
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


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
    call_to_action_text = models.CharField(
        _("call to action"),
        max_length=80,
        blank=True,
        help_text=_("The text of the main button, e.g. “Mitmachen”."),
    )
    call_to_action_page = optional_page_link(
        _("call to action page"), _("The page the main button leads to.")
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Further sections below the list of labs."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("call_to_action_text"), PageChooserPanel("call_to_action_page")],
            heading=_("Call to action"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    override_translatable_fields = [
        TranslatableField("intro"),
        TranslatableField("call_to_action_text"),
        SynchronizedField("call_to_action_page"),
        TranslatableField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "labs.LabIndexPage",
        "network.ProjectIndexPage",
        "network.NewsIndexPage",
        "network.EventIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """A general page of the network: about, join in, imprint, privacy."""

    intro = models.TextField(
        _("intro"), blank=True, help_text=_("A short lead paragraph shown above the text.")
    )
    show_table_of_contents = models.BooleanField(
        _("show table of contents"),
        default=False,
        help_text=_("List the page's headings at the top, as links to each section."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("show_table_of_contents"),
        FieldPanel(
            "body",
            help_text=_("The page's text: headings, paragraphs, images, links and questions."),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    override_translatable_fields = [
        TranslatableField("intro"),
        SynchronizedField("show_table_of_contents"),
        TranslatableField("body"),
    ]
    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def headings(self):
        """The page's heading blocks, in order, for the table of contents."""
        return [block.value for block in self.body if block.block_type == "heading"]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the footer shows that is the same in every language."""

    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("The network's general contact address.")
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        verbose_name=_("social links"),
        help_text=_("The network's profiles, shown with icons in the footer."),
    )
    imprint_page = optional_page_link(
        _("imprint page"), _("Linked from every page's footer (legally required in Germany).")
    )
    privacy_page = optional_page_link(_("privacy page"), _("Linked from every page's footer."))

    join_page = optional_page_link(
        _("join-in page"), _("The “Mitmachen” page; inactive labs point to it.")
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("social_links"),
        PageChooserPanel("imprint_page"),
        PageChooserPanel("privacy_page"),
        PageChooserPanel("join_page"),
    ]

    class Meta:
        verbose_name = _("site settings")


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The footer's short text about the network; one per language."""

    body = RichTextField(
        _("text"), features=RICH_TEXT_FEATURES, help_text=_("A sentence or two about the network.")
    )

    panels = [FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer texts")

    def __str__(self):
        return str(_("Footer text (%(locale)s)") % {"locale": self.locale})

    @classmethod
    def for_locale(cls, locale):
        """The footer text in `locale`, else the German one, else None."""
        texts = {text.locale.language_code: text for text in cls.objects.select_related("locale")}
        return texts.get(locale.language_code) or texts.get(settings.LANGUAGE_CODE)
