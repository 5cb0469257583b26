"""Projects: what the labs build, listed on their lab pages and in the network's index."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BaseStreamBlock, ProjectStatus
from home.localization import in_locale_with_fallback
from labs.bundeslaender import Bundesland
from network.blocks import CollaboratorBlock, ProjectLinkBlock
from network.listing import (
    LabRelatedMixin,
    NetworkIndexPage,
    chosen,
    filter_by_bundesland,
    filter_by_lab,
    lab_filter_choices,
    paginate,
    query_without_page,
    related_labs_field,
)
from network.models.lead_image import LeadImageMixin
from network.models.topics import Topic


class ProjectPage(LabRelatedMixin, LeadImageMixin, Page):
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Two or three sentences: what it does, for whom.")
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ProjectStatus.choices,
        default=ProjectStatus.ACTIVE,
        help_text=_("“Seeking contributors” lists the project where volunteers look for one."),
    )
    labs = related_labs_field()
    topics = ParentalManyToManyField(
        Topic,
        blank=True,
        related_name="+",
        limit_choices_to={"locale__language_code": "de"},
        verbose_name=_("topics"),
        help_text=_("The network's topics this project is about."),
    )
    links = StreamField(
        [("link", ProjectLinkBlock())],
        blank=True,
        verbose_name=_("links"),
        help_text=_("Code repository, demo, data source, website."),
    )
    collaborators = StreamField(
        [("collaborator", CollaboratorBlock())],
        blank=True,
        verbose_name=_("collaborators"),
        help_text=_("People and organisations who work on it."),
    )
    showcase = models.BooleanField(
        _("showcase"),
        default=False,
        help_text=_("Show it first on its labs' pages and on the home page."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("When work on it began.")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading=_("Image")),
        FieldPanel("body", help_text=_("What the project does, how it works, how to take part.")),
    ]
    details_panels = [
        FieldPanel("status"),
        FieldPanel("labs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("showcase"),
        FieldPanel("start_date"),
        FieldPanel("collaborators"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(details_panels, heading=_("Project details")),
            ObjectList([FieldPanel("links")], heading=_("Links")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    override_translatable_fields = [
        TranslatableField("summary"),
        SynchronizedField("image"),
        TranslatableField("image_alt_text"),
        SynchronizedField("status"),
        SynchronizedField("labs"),
        SynchronizedField("topics"),
        TranslatableField("links"),
        SynchronizedField("collaborators"),
        SynchronizedField("showcase"),
        SynchronizedField("start_date"),
        TranslatableField("body"),
    ]
    parent_page_types = ["network.ProjectIndexPage", "labs.LabPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def topic_list(self):
        """The topics in this page's language (falling back to German)."""
        return [topic.localized for topic in self.topics.all()]


def projects_in(locale):
    """Live projects of `locale` (or German where untranslated), ready for cards."""
    return (
        in_locale_with_fallback(ProjectPage.objects.live(), locale)
        .defer_streamfields()
        .select_related("image", "locale")
        .prefetch_related("image__renditions")
    )


class ProjectIndexPage(NetworkIndexPage):
    """ "Projekte": every project of the network and its labs, with filters that need no script."""

    subpage_types = ["network.ProjectPage"]

    class Meta:
        verbose_name = _("project index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = {topic.slug: topic for topic in Topic.objects.filter(locale=self.locale)}
        topics.update(
            {
                topic.slug: topic
                for topic in Topic.objects.filter(locale__language_code="de")
                if topic.slug not in topics
            }
        )
        labs = lab_filter_choices()
        filters = {
            "topic": chosen(request, "topic", topics),
            "lab": chosen(request, "lab", {slug for slug, _title in labs}),
            "status": chosen(request, "status", ProjectStatus.values),
            "bundesland": chosen(request, "bundesland", Bundesland.values),
        }
        projects = projects_in(self.locale)
        if filters["topic"]:
            projects = projects.filter(
                topics__translation_key=topics[filters["topic"]].translation_key
            )
        if filters["lab"]:
            projects = filter_by_lab(projects, filters["lab"])
        if filters["status"]:
            projects = projects.filter(status=filters["status"])
        if filters["bundesland"]:
            projects = filter_by_bundesland(projects, filters["bundesland"])
        projects = projects.distinct().order_by("-start_date", "-first_published_at", "title")
        context.update(
            projects=paginate(request, projects),
            filters=filters,
            filter_query=query_without_page(request),
            topic_choices=sorted(
                ((topic.slug, topic.name) for topic in topics.values()), key=lambda pair: pair[1]
            ),
            lab_choices=labs,
            status_choices=ProjectStatus.choices,
            bundesland_choices=Bundesland.choices,
            seeking_contributors=ProjectStatus.SEEKING_CONTRIBUTORS,
        )
        return context
