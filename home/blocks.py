"""StreamField blocks shared by every page type; BaseStreamBlock is the body of the network pages.

Every block renders through its own template under templates/blocks/ and has an admin preview.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from home.text import german_slugify

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def first_image():
    """Preview helper: any image in the library, so image blocks preview with a real picture."""
    return get_image_model().objects.order_by("pk").first()


class ProjectStatus(models.TextChoices):
    """Where a project stands; shared by the project card block and the project pages."""

    IDEA = "idea", _("Idea")
    IN_DEVELOPMENT = "in-development", _("In development")
    SEEKING_CONTRIBUTORS = "seeking-contributors", _("Seeking contributors")
    ACTIVE = "active", _("Active")
    FINISHED = "finished", _("Finished")
    ARCHIVED = "archived", _("Archived")


class LinkKind(models.TextChoices):
    """Kinds of links a lab or the network points to; each has its own icon."""

    WEBSITE = "website", _("Website")
    MASTODON = "mastodon", "Mastodon"
    GITHUB = "github", "GitHub"
    TWITTER = "twitter", "Twitter/X"
    FACEBOOK = "facebook", "Facebook"
    BLUESKY = "bluesky", "Bluesky"
    MATRIX = "matrix", "Matrix"
    PAD = "pad", _("Pad / notes")
    MAILING_LIST = "mailing-list", _("Mailing list")
    MEETUP = "meetup", "Meetup"
    NEWSLETTER = "newsletter", _("Newsletter")
    OTHER = "other", _("Other link")


class HeadingStructValue(blocks.StructValue):
    def anchor_id(self):
        """The fragment id: the editor's anchor, or one made from the heading text."""
        return german_slugify(self.get("anchor") or self.get("text")) or "abschnitt"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
    )
    anchor = blocks.CharBlock(
        label=_("Anchor"),
        required=False,
        default="",
        max_length=80,
        help_text=_("Optional link target, e.g. “history”; made from the heading when empty."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        value_class = HeadingStructValue
        description = _("A section heading; it also appears in the table of contents.")
        preview_value = {"text": "Über Code for Germany", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/paragraph_block.html"
        description = _("Running text with bold, italic, links and lists.")
        preview_value = (
            "<p>Die OK Labs sind lokale Gruppen, die sich <b>regelmäßig</b> treffen.</p>"
        )


class ImageBlock(blocks.StructBlock):
    def get_preview_value(self):
        return {
            "image": first_image(),
            "alt_text": "Menschen arbeiten an Laptops",
            "caption": "Ein Abend im OK Lab",
        }

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, default="", max_length=250)
    attribution = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        default="",
        max_length=250,
        help_text=_("Photographer, licence."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"
        description = _("An image with alternative text, caption and credit.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Who said it"), required=False, default="", max_length=200
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"
        description = _("A quotation with the person who said it.")
        preview_value = {
            "quote": "Offene Daten sind erst der Anfang.",
            "attribution": "Eine Lab-Lead",
        }


class PageOrUrlMixin:
    """For link blocks with a `page` and a `url` child: exactly one of the two must be given."""

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = (
                _("Choose a page or enter a URL, not both.")
                if value.get("page")
                else _("Choose a page or enter a URL.")
            )
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class LinkStructValue(blocks.StructValue):
    def href(self):
        page = self.get("page")
        return page.localized.url if page else self.get("url")


class CallToActionBlock(PageOrUrlMixin, blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("URL"), required=False, default="")

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"
        value_class = LinkStructValue
        description = _("A prominent button that leads to a page or a URL.")
        preview_value = {"text": "Mitmachen", "url": "https://codefor.de/mitmachen/"}


class LinkBlock(PageOrUrlMixin, blocks.StructBlock):
    title = blocks.CharBlock(label=_("Link text"), max_length=120)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("URL"), required=False, default="")

    class Meta:
        icon = "link"
        label = _("Link")
        template = "blocks/link_block.html"
        value_class = LinkStructValue
        description = _("A link to a page of this site or to a URL.")
        preview_value = {"title": "Open Knowledge Foundation", "url": "https://okfn.de"}


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, default="", max_length=120)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        label = _("Link list")
        template = "blocks/link_list_block.html"
        description = _("A short list of links with an optional heading.")
        preview_value = {
            "heading": "Mehr erfahren",
            "links": [
                {"title": "Code for All", "url": "https://codeforall.org"},
                {"title": "Open Knowledge Foundation", "url": "https://okfn.de"},
            ],
        }


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(
        label=_("Role"), required=False, default="", max_length=120, help_text=_("e.g. “Lab lead”.")
    )
    email = blocks.EmailBlock(
        label=_("E-mail"),
        required=False,
        default="",
        help_text=_("Shown in a form that address harvesters do not read."),
    )
    url = blocks.URLBlock(
        label=_("Contact URL"),
        required=False,
        default="",
        help_text=_("A contact form or profile page."),
    )

    class Meta:
        icon = "user"
        label = _("Contact")
        template = "blocks/contact_card_block.html"
        description = _("A person to contact, with role, e-mail or a contact link.")
        preview_value = {
            "name": "Kontakt Allgemein",
            "role": "Lab-Lead",
            "email": "info@example.org",
        }


class ProjectCardStructValue(blocks.StructValue):
    def status_label(self):
        return ProjectStatus(self.get("status")).label if self.get("status") else ""


class ProjectCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    summary = blocks.TextBlock(label=_("Summary"), max_length=400)
    image = ImageChooserBlock(label=_("Image"), required=False)
    image_alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        default="",
        max_length=250,
        help_text=_("Required when an image is chosen."),
    )
    status = blocks.ChoiceBlock(
        label=_("Status"), choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    code_url = blocks.URLBlock(label=_("Source code"), required=False, default="")
    demo_url = blocks.URLBlock(label=_("Demo"), required=False, default="")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("image_alt_text"):
            raise StructBlockValidationError(
                block_errors={
                    "image_alt_text": ValidationError(_("Describe the image for screen readers."))
                }
            )
        return value

    class Meta:
        icon = "code"
        label = _("Project card")
        template = "blocks/project_card_block.html"
        value_class = ProjectCardStructValue
        description = _("A project in brief: summary, status and links to code and demo.")
        preview_value = {
            "title": "Offener Haushalt",
            "summary": "Eine Open-Source-Visualisierung städtischer Haushalte.",
            "status": ProjectStatus.ACTIVE,
            "code_url": "https://github.com/okfde",
        }


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    logo = ImageChooserBlock(label=_("Logo"), required=False)
    url = blocks.URLBlock(label=_("Website"), required=False, default="")
    description = blocks.TextBlock(
        label=_("Short description"), required=False, default="", max_length=400
    )

    class Meta:
        icon = "group"
        label = _("Partner organisation")
        template = "blocks/partner_block.html"
        description = _("An organisation the network works with, with logo and link.")
        preview_value = {
            "name": "Code for All",
            "url": "https://codeforall.org",
            "description": "Das internationale Netzwerk der Civic-Tech-Organisationen.",
        }


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = ParagraphBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("FAQ item")
        template = "blocks/faq_block.html"
        description = _("A question whose answer opens on click, without JavaScript.")
        preview_value = {
            "question": "Muss ich programmieren können?",
            "answer": "<p>Nein. Jede Fähigkeit ist willkommen.</p>",
        }


class SocialLinkStructValue(blocks.StructValue):
    def display_label(self):
        return self.get("label") or LinkKind(self.get("kind")).label


class SocialLinkBlock(blocks.StructBlock):
    """A typed link (website, Mastodon, GitHub …) shown with its own icon."""

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=LinkKind.choices, default=LinkKind.WEBSITE)
    url = blocks.URLBlock(label=_("URL"))
    label = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        default="",
        max_length=80,
        help_text=_("Optional; the kind's name is used when empty."),
    )

    class Meta:
        icon = "link-external"
        label = _("Link")
        template = "blocks/social_link_block.html"
        value_class = SocialLinkStructValue
        description = _("A link with an icon for its kind (website, Mastodon, GitHub …).")
        preview_value = {"kind": LinkKind.MASTODON, "url": "https://norden.social/@oklabflensburg"}


class BaseStreamBlock(blocks.StreamBlock):
    """The body of the network's pages; the labs extend it with their own blocks."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    link_list = LinkListBlock()
    contact = ContactCardBlock()
    project_card = ProjectCardBlock()
    partner = PartnerBlock()
    faq = FAQBlock()
