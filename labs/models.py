"""The OK Labs: the lab index and one page per lab with structured fields."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import ContactCardBlock, SocialLinkBlock
from home.caching import per_generation
from home.localization import in_locale_with_fallback
from home.lookups import settings_page_link
from labs import schedule
from labs.blocks import (
    LabStreamBlock,
    MeetingExceptionsBlock,
    MeetingScheduleBlock,
    MemberBlock,
)
from labs.bundeslaender import Bundesland
from labs.jsonld import lab_json_ld

# Germany lies within these bounds, with a margin for labs just across a border.
LATITUDE_RANGE = (47.0, 55.5)
LONGITUDE_RANGE = (5.5, 15.5)
FIRST_FOUNDING_YEAR = 2000


class LabIndexPage(Page):
    """ "OK Labs": lists every live lab below it, sorted by city, with a Bundesland filter."""

    intro = models.TextField(
        _("intro"), blank=True, help_text=_("A short text above the list of labs.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    override_translatable_fields = [TranslatableField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["labs.LabPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("lab index")

    def labs(self):
        """Every live lab, by city, in this index's language or else in German (marked so)."""
        return self.labs_in(self.locale)

    @staticmethod
    def labs_in(locale):
        """Every live lab, by city, in `locale` or else in German (the home page lists them too)."""
        return (
            in_locale_with_fallback(LabPage.objects.live(), locale)
            .select_related("logo", "locale")
            .prefetch_related("logo__renditions")
            .order_by("city", "title")
        )

    def route(self, request, path_components):
        """Find a lab and its own fields in one query (the default needs two: page, then lab)."""
        if path_components:
            lab = LabPage.objects.child_of(self).filter(slug=path_components[0]).first()
            if lab is not None:
                lab._cached_parent_obj = self
                return lab.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        labs = self.labs()
        chosen = request.GET.get("bundesland", "")
        if chosen in Bundesland.values:
            labs = labs.filter(bundesland=chosen)
        else:
            chosen = ""
        labs = list(labs)
        context.update(
            active_labs=[lab for lab in labs if not lab.inactive],
            inactive_labs=[lab for lab in labs if lab.inactive],
            bundesland_choices=Bundesland.choices,
            chosen_bundesland=chosen,
            chosen_bundesland_label=Bundesland(chosen).label if chosen else "",
        )
        return context


class LabPage(Page):
    """One OK Lab: where and when it meets, who leads it, where it is online, what it does."""

    city = models.CharField(_("city"), max_length=80, help_text=_("The lab's city or region."))
    bundesland = models.CharField(
        _("federal state"),
        max_length=32,
        choices=Bundesland.choices,
        help_text=_("The Bundesland the lab is in; visitors filter the lab list by it."),
    )
    lat = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(LATITUDE_RANGE[0]), MaxValueValidator(LATITUDE_RANGE[1])],
        help_text=_("Decimal degrees north, e.g. 54.7937 for Flensburg."),
    )
    long = models.FloatField(
        _("longitude"),
        validators=[
            MinValueValidator(LONGITUDE_RANGE[0]),
            MaxValueValidator(LONGITUDE_RANGE[1]),
        ],
        help_text=_("Decimal degrees east, e.g. 9.4370 for Flensburg."),
    )
    logo = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lab's hexagon logo; without one, a hexagon with the city is drawn."),
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_FOUNDING_YEAR)],
        help_text=_("The year the lab first met."),
    )
    intro = models.TextField(
        _("short description"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences for the lab list and search engines."),
    )
    meetings = StreamField(
        [("meeting", MeetingScheduleBlock())],
        blank=True,
        max_num=3,
        verbose_name=_("regular meetings"),
        help_text=_("When and where the lab meets; the next dates are computed from this."),
    )
    meeting_exceptions = StreamField(
        MeetingExceptionsBlock(),
        blank=True,
        verbose_name=_("cancelled and extra meetings"),
        help_text=_(
            "Dates on which a regular meeting does not take place, and extra one-off meetings. "
            "The next meeting on the page and the calendar take them into account; "
            "past entries can be removed."
        ),
    )
    leads = StreamField(
        [("contact", ContactCardBlock())],
        blank=True,
        verbose_name=_("contacts"),
        help_text=_("The lab's leads and contact addresses."),
    )
    members = StreamField(
        [("member", MemberBlock())],
        blank=True,
        verbose_name=_("members"),
        help_text=_("People who take part, with optional GitHub and Mastodon handles."),
    )
    links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        verbose_name=_("links"),
        help_text=_("The lab's website, social media, pad, mailing list …"),
    )
    inactive = models.BooleanField(
        _("inactive"),
        default=False,
        help_text=_("The lab no longer meets. Its page stays, with a note on how to revive it."),
    )
    # Named url_aliases, not aliases: Page.aliases is Wagtail's relation to alias pages.
    url_aliases = models.CharField(
        _("short addresses"),
        max_length=255,
        blank=True,
        help_text=_("Short paths that lead here, separated by commas, e.g. “/flensburg, /fl”."),
    )
    body = StreamField(
        LabStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("About the lab: what it does, its goals, history and projects."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("logo"),
        FieldPanel("body"),
    ]
    details_panels = [
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("bundesland"),
                FieldRowPanel([FieldPanel("lat"), FieldPanel("long")]),
            ],
            heading=_("Location"),
        ),
        FieldPanel("founding_year"),
        FieldPanel("inactive"),
        FieldPanel("meetings"),
        FieldPanel("meeting_exceptions"),
        FieldPanel("leads"),
        FieldPanel("members"),
    ]
    links_panels = [FieldPanel("links"), FieldPanel("url_aliases")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(details_panels, heading=_("Meetings & contact")),
            ObjectList(links_panels, heading=_("Links")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("city"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("bundesland"),
        index.FilterField("inactive"),
    ]
    # Texts are translated; what is the same in every language is copied from the German page.
    override_translatable_fields = [
        TranslatableField("city"),
        SynchronizedField("bundesland"),
        SynchronizedField("lat"),
        SynchronizedField("long"),
        SynchronizedField("logo"),
        SynchronizedField("founding_year"),
        TranslatableField("intro"),
        TranslatableField("meetings"),
        TranslatableField("meeting_exceptions"),
        TranslatableField("leads"),
        SynchronizedField("members"),
        TranslatableField("links"),
        SynchronizedField("inactive"),
        SynchronizedField("url_aliases"),
        TranslatableField("body"),
    ]
    parent_page_types = ["labs.LabIndexPage"]
    # A lab's projects, news and events live below it, so its editors own them.
    subpage_types = ["network.ProjectPage", "network.NewsPage", "network.EventPage"]

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")

    def first_meeting(self):
        """The first regular meeting's value, for the short form on cards."""
        return self.meetings[0].value if self.meetings else None

    def upcoming_meetings(self, now=None, count=3):
        """The next dates the lab meets (regular and extra, without cancelled ones)."""
        if self.inactive:
            return []
        return schedule.upcoming(self.meetings, self.meeting_exceptions, now=now, count=count)

    def next_meeting(self, now=None):
        """The next date the lab meets, or None; computed once per page object."""
        if now is not None:
            dates = self.upcoming_meetings(now=now, count=1)
            return dates[0] if dates else None
        if "_next_meeting" not in self.__dict__:
            dates = self.upcoming_meetings(count=1)
            self.__dict__["_next_meeting"] = dates[0] if dates else None
        return self.__dict__["_next_meeting"]

    def meeting_changes(self, now=None):
        """Cancelled and extra dates of the coming months, for the meetings panel."""
        if self.inactive:
            return []
        return schedule.upcoming_changes(self.meetings, self.meeting_exceptions, now=now)

    def translation_paths(self):
        """{language code: (tree path, slug)} of this lab in every language, aliases included.

        Pages below any of them belong to the lab; looked up once per publish.
        """

        def build():
            rows = LabPage.objects.filter(translation_key=self.translation_key).values_list(
                "locale__language_code", "path", "slug"
            )
            return {code: (path, slug) for code, path, slug in rows}

        return per_generation(f"lab-translations:{self.translation_key}", build)

    def source_slug(self):
        """The German page's slug: calendar, feed and API addresses use it in every language."""
        german = self.translation_paths().get(settings.LANGUAGE_CODE)
        return german[1] if german else self.slug

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.inactive:  # the notice invites visitors to revive the lab
            context["join_link"] = settings_page_link(request, "join_page")
        context["meeting_changes"] = self.meeting_changes()
        context["json_ld"] = lab_json_ld(self, request)
        return context

    def clean(self):
        super().clean()
        if self.founding_year and self.founding_year > datetime.date.today().year:
            raise ValidationError({"founding_year": _("The founding year cannot lie ahead.")})
        clashes = self.alias_clashes()
        if clashes:
            raise ValidationError(
                {
                    "url_aliases": _("Already used by another page: %(paths)s")
                    % {"paths": ", ".join(clashes)}
                }
            )

    def alias_paths(self):
        return alias_paths(self.url_aliases)

    def alias_clashes(self):
        """Aliases that already redirect to a page other than this lab (in any language)."""
        taken = Redirect.objects.filter(old_path__in=self.alias_paths())
        if self.pk:
            taken = taken.exclude(redirect_page__translation_key=self.translation_key)
        return sorted(taken.values_list("old_path", flat=True))

    def sync_alias_redirects(self, previous_aliases=""):
        """Point one permanent redirect per alias here; drop those of aliases removed since.

        Only the German source page owns redirects: translations share its aliases.
        """
        if self.locale.language_code != settings.LANGUAGE_CODE:
            return
        wanted = alias_paths(self.url_aliases)
        removed = set(alias_paths(previous_aliases)) - set(wanted)
        Redirect.objects.filter(redirect_page=self, old_path__in=removed).delete()
        for path in wanted:
            Redirect.objects.update_or_create(
                old_path=path,
                site=None,
                defaults={"redirect_page": self, "is_permanent": True},
            )


def alias_paths(aliases):
    """Comma-separated aliases as normalised paths (“/flensburg”), without duplicates."""
    paths = []
    for alias in aliases.split(","):
        alias = alias.strip().strip("/")
        if alias:
            path = Redirect.normalise_path("/" + alias)
            if path not in paths:
                paths.append(path)
    return paths
