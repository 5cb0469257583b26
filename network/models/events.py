"""Events: one-off dates (Open Data Day, workshops, hackathons, talks) beside the labs' meetings."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
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


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class EventPage(LabRelatedMixin, Page):
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Two or three sentences for lists and calendars.")
    )
    start = models.DateTimeField(_("start"), help_text=_("Date and time in German time."))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Leave empty if it has no fixed end.")
    )
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("Show only the dates, not the times.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_("A cancelled event stays visible and says so."),
    )
    online = models.BooleanField(_("online"), default=False, help_text=_("It takes place online."))
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where to join, for online events.")
    )
    venue_name = models.CharField(_("venue"), max_length=120, blank=True)
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    registration_url = models.URLField(
        _("registration"), blank=True, help_text=_("Where people sign up, if they need to.")
    )
    labs = related_labs_field()
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body", help_text=_("What happens, for whom, and what to bring.")),
    ]
    when_where_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading=_("When"),
        ),
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "venue_name",
                    help_text=_("e.g. “Stadtbibliothek”; leave empty for online events."),
                ),
                FieldPanel("street", help_text=_("e.g. “Norderstraße 49”.")),
                FieldRowPanel(
                    [
                        FieldPanel("postcode", help_text=_("e.g. “24939”.")),
                        FieldPanel("city", help_text=_("The venue's city.")),
                    ]
                ),
                FieldPanel("online"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("registration_url"),
        FieldPanel("labs", widget=forms.CheckboxSelectMultiple),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(when_where_panels, heading=_("When & where")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("city"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    override_translatable_fields = [
        TranslatableField("summary"),
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("all_day"),
        SynchronizedField("status"),
        SynchronizedField("online"),
        SynchronizedField("online_url"),
        TranslatableField("venue_name"),
        SynchronizedField("street"),
        SynchronizedField("postcode"),
        TranslatableField("city"),
        SynchronizedField("registration_url"),
        SynchronizedField("labs"),
        TranslatableField("body"),
    ]
    parent_page_types = ["network.EventIndexPage", "labs.LabPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("The end must be after the start.")
        if self.online and not self.online_url:
            errors["online_url"] = _("Enter the link where people join the online event.")
        if not self.online and not (self.venue_name or self.city):
            errors["venue_name"] = _("Enter a venue or city, or mark the event as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    def address(self):
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.venue_name, self.street, place) if part)

    def ends_at(self):
        """The end, or the start when the event has none (for "is it over?")."""
        return self.end or self.start


def events_in(locale):
    return (
        in_locale_with_fallback(EventPage.objects.live(), locale)
        .defer_streamfields()
        .select_related("locale")
    )


def upcoming(events, now=None):
    """Events that have not ended yet, soonest first."""
    now = now or timezone.now()
    return events.filter(
        models.Q(end__gte=now) | models.Q(end__isnull=True, start__gte=now)
    ).order_by("start")


def past(events, now=None):
    now = now or timezone.now()
    return events.filter(
        models.Q(end__lt=now) | models.Q(end__isnull=True, start__lt=now)
    ).order_by("-start")


class EventIndexPage(NetworkIndexPage):
    """ "Termine": upcoming events of the network and its labs first, past ones apart."""

    subpage_types = ["network.EventPage"]

    class Meta:
        verbose_name = _("event index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        labs = lab_filter_choices()
        lab = chosen(request, "lab", {slug for slug, _title in labs})
        events = events_in(self.locale)
        if lab:
            events = filter_by_lab(events, lab)
        context.update(
            upcoming_events=list(upcoming(events)),
            past_events=paginate(request, past(events)),
            filters={"lab": lab},
            filter_query=query_without_page(request),
            lab_choices=labs,
        )
        return context
