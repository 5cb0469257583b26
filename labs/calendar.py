"""iCalendar feeds (RFC 5545): the labs' regular meetings and the network's events.

/calendar/<language>/labs.ics            every active lab's meetings and every event
/calendar/<language>/labs/<lab>.ics      one lab's meetings and its events (German slug)

Regular meetings are one VEVENT each with an RRULE in Europe/Berlin wall-clock time (a VTIMEZONE
is included), cancelled dates are EXDATEs, extra dates and the network's events are VEVENTs of
their own. UIDs come from the StreamField block ids and the pages' translation keys, so they are
the same in every language and stay the same when a page is edited. The texts are in the language
of the feed's address; pages not translated into it appear in German.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
)
from wagtail.models import Locale

from home.localization import in_locale_with_fallback
from labs import schedule
from labs.models import LabPage
from network.listing import belonging_to
from network.models.events import EventStatus, events_in

# Events that ended longer ago than this are left out of the feeds.
PAST_EVENTS_KEPT = datetime.timedelta(days=180)
REFRESH_INTERVAL = datetime.timedelta(hours=6)
CACHE_SECONDS = 15 * 60
PRODID = "-//Code for Germany//OK Lab calendar//DE"
EVENT_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def berlin_timezone():
    """Europe/Berlin as a VTIMEZONE with the EU rules (in force since 1996) as RRULEs."""
    zone = Timezone()
    zone.add("tzid", "Europe/Berlin")
    zone.add("x-lic-location", "Europe/Berlin")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", datetime.timedelta(hours=1))
    summer.add("tzoffsetto", datetime.timedelta(hours=2))
    summer.add("dtstart", datetime.datetime(1996, 3, 31, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", datetime.timedelta(hours=2))
    winter.add("tzoffsetto", datetime.timedelta(hours=1))
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def new_calendar(name, description, url):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("url", url)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    calendar.add_component(berlin_timezone())
    return calendar


def stamp(page):
    return page.last_published_at or schedule.berlin_now()


def series_since(meeting, published):
    """Where a meeting's series starts in the feed: its `first_date`, else the day the German
    lab page was first published. Fixed per lab and the same in every language, so the feed does
    not change from day to day.
    """
    if meeting.get("first_date"):
        return meeting["first_date"]
    return timezone.localtime(published or schedule.berlin_now(), schedule.BERLIN).date()


def meeting_events(lab, url, domain, published):
    """VEVENTs of the lab's regular meetings (with EXDATEs) and of its extra dates.

    `published` is when the lab's German page was first published: the series start there.
    """
    events = []
    cancelled = schedule.cancellations(lab.meeting_exceptions)
    for block in lab.meetings:
        meeting = block.value
        rule = schedule.recurrence_rule(meeting)
        if rule is None:
            continue
        first = schedule.series_start(meeting, series_since(meeting, published))
        event = Event()
        event.add("uid", f"meeting-{block.id}@{domain}")
        event.add("dtstamp", stamp(lab))
        event.add("last-modified", stamp(lab))
        event.add("summary", _("%(lab)s: meeting") % {"lab": lab.title})
        event.add("dtstart", schedule.local(first, meeting["start_time"]))
        if meeting.get("end_time"):
            event.add("dtend", schedule.local(first, meeting["end_time"]))
        recurrence = {"freq": rule.frequency, "byday": rule.byday()}
        if rule.interval > 1:
            recurrence["interval"] = rule.interval
        event.add("rrule", recurrence)
        exdates = [
            schedule.local(item.date, meeting["start_time"])
            for item in cancelled
            if item.date >= first and any(schedule.meeting_dates(meeting, item.date, item.date))
        ]
        if exdates:
            event.add("exdate", exdates)
        address = schedule.full_address(meeting)
        if address:
            event.add("location", address)
        event.add("description", description(meeting.rhythm_text(), meeting.get("notes"), url))
        event.add("url", url)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        events.append(event)
    for extra in schedule.extra_dates(lab.meeting_exceptions):
        occurrence = schedule.extra_occurrence(extra, lab.meetings)
        event = Event()
        event.add("uid", f"extra-{extra.block_id}@{domain}")
        event.add("dtstamp", stamp(lab))
        event.add("last-modified", stamp(lab))
        event.add("summary", _("%(lab)s: extra meeting") % {"lab": lab.title})
        event.add("dtstart", occurrence.start)
        if occurrence.end:
            event.add("dtend", occurrence.end)
        if occurrence.address:
            event.add("location", occurrence.address)
        event.add("description", description(extra.note, url))
        event.add("url", url)
        event.add("status", "CONFIRMED")
        events.append(event)
    return events


def description(*parts):
    return "\n\n".join(str(part) for part in parts if part)


def event_component(page, request, domain, language):
    """A VEVENT for one event page; a cancelled event says so with STATUS:CANCELLED."""
    event = Event()
    title = page.title
    if page.locale.language_code != language:
        title = _("%(title)s (in German)") % {"title": title}
    url = page.get_full_url(request)
    event.add("uid", f"event-{page.translation_key}@{domain}")
    event.add("dtstamp", stamp(page))
    event.add("last-modified", stamp(page))
    event.add("summary", title)
    start = timezone.localtime(page.start, schedule.BERLIN)
    end = timezone.localtime(page.end, schedule.BERLIN) if page.end else None
    if page.all_day:
        event.add("dtstart", start.date())
        last_day = end.date() if end else start.date()
        event.add("dtend", last_day + datetime.timedelta(days=1))
    else:
        event.add("dtstart", start)
        if end:
            event.add("dtend", end)
    location = _("Online") if page.online else page.address()
    if location:
        event.add("location", location)
    event.add("description", description(page.summary, url))
    event.add("url", url)
    event.add("status", EVENT_STATUS.get(page.status, "CONFIRMED"))
    return event


def feed_locale(language):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise Http404
    return locale


def recent_and_upcoming(events):
    since = schedule.berlin_now() - PAST_EVENTS_KEPT
    return events.filter(Q(end__gte=since) | Q(end__isnull=True, start__gte=since)).order_by(
        "start"
    )


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def domain_of(request):
    return request.get_host().split(":")[0]


def lab_in(lab, locale):
    """The lab's live translation into `locale` (not an alias), else the German page."""
    if lab.locale_id == locale.pk:
        return lab
    translated = (
        LabPage.objects.live()
        .filter(translation_key=lab.translation_key, locale=locale, alias_of__isnull=True)
        .first()
    )
    return translated or lab


def lab_calendar(request, language, lab_slug):
    """One lab: its regular meetings, cancelled and extra dates, and its events."""
    locale = feed_locale(language)
    source = (
        LabPage.objects.live()
        .filter(slug=lab_slug, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    if source is None:
        raise Http404
    domain = domain_of(request)
    with translation.override(language):
        lab = lab_in(source, locale)
        url = lab.get_full_url(request)
        calendar = new_calendar(
            _("%(lab)s – meetings and events") % {"lab": lab.title},
            _("When %(lab)s meets, and its events.") % {"lab": lab.title},
            url,
        )
        if not lab.inactive:
            for event in meeting_events(lab, url, domain, source.first_published_at):
                calendar.add_component(event)
        events = recent_and_upcoming(events_in(locale).filter(belonging_to([source])).distinct())
        for page in events:
            calendar.add_component(event_component(page, request, domain, language))
    return calendar_response(calendar, f"oklab-{lab_slug}.ics")


def network_calendar(request, language):
    """Every active lab's regular meetings and every event of the network and its labs."""
    locale = feed_locale(language)
    domain = domain_of(request)
    with translation.override(language):
        home = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
        calendar = new_calendar(
            _("Code for Germany – meetings and events"),
            _("The regular meetings of the OK Labs and the events of the network."),
            request.build_absolute_uri(home),
        )
        labs = list(
            in_locale_with_fallback(LabPage.objects.live(), locale)
            .filter(inactive=False)
            .order_by("city", "title")
        )
        published = dict(
            LabPage.objects.filter(
                translation_key__in=[lab.translation_key for lab in labs],
                locale__language_code=settings.LANGUAGE_CODE,
            ).values_list("translation_key", "first_published_at")
        )
        for lab in labs:
            url = lab.get_full_url(request)
            for event in meeting_events(lab, url, domain, published.get(lab.translation_key)):
                calendar.add_component(event)
        for page in recent_and_upcoming(events_in(locale)):
            calendar.add_component(event_component(page, request, domain, language))
    return calendar_response(calendar, "oklab-labs.ics")
