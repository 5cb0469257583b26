"""News: what the network and the labs report, with feeds per language and per lab."""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BaseStreamBlock
from home.localization import in_locale_with_fallback
from network.listing import (
    LabRelatedMixin,
    NetworkIndexPage,
    chosen,
    filter_by_lab,
    lab_filter_choices,
    paginate,
    query_without_page,
    related_labs_field,
)
from network.models.lead_image import LeadImageMixin
from network.models.topics import Topic


class NewsCategory(models.TextChoices):
    EVENT_REPORT = "event-report", _("Event report")
    COMMUNITY = "community", _("Community")
    INTERVIEW = "interview", _("Interview")
    PROJECT = "project", _("Project")
    STORY = "story", _("Story")
    TOOLBOX = "toolbox", _("Toolbox")
    ANNOUNCEMENT = "announcement", _("Announcement")


class NewsPage(LabRelatedMixin, LeadImageMixin, Page):
    date = models.DateField(
        _("date"),
        default=datetime.date.today,
        help_text=_("Shown on the post. To publish later, schedule it under “Settings”."),
    )
    author = models.CharField(_("author"), max_length=120, blank=True)
    excerpt = models.TextField(
        _("excerpt"), max_length=400, help_text=_("Two or three sentences for lists and feeds.")
    )
    category = models.CharField(
        _("category"), max_length=32, choices=NewsCategory.choices, default=NewsCategory.COMMUNITY
    )
    labs = related_labs_field()
    topics = ParentalManyToManyField(
        Topic,
        blank=True,
        related_name="+",
        limit_choices_to={"locale__language_code": "de"},
        verbose_name=_("topics"),
        help_text=_("The network's topics this post is about."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("author", help_text=_("Who wrote it; leave empty for the lab or the network.")),
        FieldPanel("excerpt"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading=_("Image")),
        FieldPanel("body", help_text=_("The full text of the post, below the excerpt.")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(
                [
                    FieldPanel(
                        "category",
                        help_text=_("What kind of post it is; visitors filter the news by it."),
                    ),
                    FieldPanel("labs", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Categories"),
            ),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("excerpt"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    override_translatable_fields = [
        SynchronizedField("date"),
        SynchronizedField("author"),
        TranslatableField("excerpt"),
        SynchronizedField("category"),
        SynchronizedField("labs"),
        SynchronizedField("topics"),
        SynchronizedField("image"),
        TranslatableField("image_alt_text"),
        TranslatableField("body"),
    ]
    parent_page_types = ["network.NewsIndexPage", "labs.LabPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")


def published_news():
    """Live posts whose date has come: drafts and scheduled posts are not live yet."""
    return NewsPage.objects.live().filter(date__lte=timezone.localdate())


def news_in(locale):
    return (
        in_locale_with_fallback(published_news(), locale)
        .defer_streamfields()
        .select_related("image", "locale")
        .prefetch_related("image__renditions")
        .order_by("-date", "-first_published_at")
    )


class NewsIndexPage(NetworkIndexPage):
    """ "Neuigkeiten": the network's and every lab's posts, newest first."""

    subpage_types = ["network.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        labs = lab_filter_choices()
        filters = {
            "category": chosen(request, "category", NewsCategory.values),
            "lab": chosen(request, "lab", {slug for slug, _title in labs}),
        }
        posts = news_in(self.locale)
        if filters["category"]:
            posts = posts.filter(category=filters["category"])
        if filters["lab"]:
            posts = filter_by_lab(posts, filters["lab"])
        context.update(
            posts=paginate(request, posts),
            filters=filters,
            filter_query=query_without_page(request),
            category_choices=NewsCategory.choices,
            lab_choices=labs,
        )
        return context
