"""When a lab meets next: its regular meetings, cancellations and extra dates, in Berlin time.

Pure functions over block values (MeetingScheduleBlock values, or plain dicts with the same keys)
and the items of LabPage.meeting_exceptions; `now` can be passed in everywhere, for tests.

Times are wall-clock times in Europe/Berlin: a meeting at 18:00 is at 18:00 in summer and in
winter. The recurrence is computed on naive local times with dateutil's rrule and only then given
the zone (zoneinfo), so daylight-saving changes never move a meeting.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.utils import timezone

from labs.blocks import Rhythm

BERLIN = ZoneInfo("Europe/Berlin")

# How far ahead to look for a meeting that is not cancelled (a year and a bit).
HORIZON = datetime.timedelta(days=400)
# How far ahead cancellations and extra dates are listed on the lab page.
CHANGES_SHOWN_AHEAD = datetime.timedelta(days=120)

WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


@dataclass(frozen=True)
class RecurrenceRule:
    """A regular meeting's rule in the terms both dateutil and RFC 5545 use."""

    frequency: str  # "WEEKLY" or "MONTHLY"
    weekday: int  # 0 = Monday
    interval: int = 1  # weeks between meetings (WEEKLY)
    week_of_month: int | None = None  # 1–4, or -1 for the last (MONTHLY)

    def byday(self):
        """The rule's BYDAY value, e.g. "WE", "2TU" or "-1FR"."""
        code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[self.weekday]
        return f"{self.week_of_month}{code}" if self.week_of_month else code


@dataclass(frozen=True)
class Occurrence:
    """One date on which the lab meets."""

    start: datetime.datetime  # aware, Europe/Berlin
    end: datetime.datetime | None
    place: str  # short: the venue, else the city
    address: str  # venue, street, postcode and city
    note: str = ""
    extra: bool = False  # an extra date rather than a regular meeting
    meeting_index: int | None = None  # which regular meeting (None for extra dates)

    @property
    def date(self):
        return self.start.date()


@dataclass(frozen=True)
class Cancellation:
    date: datetime.date
    note: str = ""
    block_id: str | None = None


@dataclass(frozen=True)
class ExtraDate:
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time | None = None
    place: str = ""
    note: str = ""
    block_id: str | None = None


def recurrence_rule(meeting: Mapping) -> RecurrenceRule | None:
    """The rule of a regular meeting, or None when it has no fixed dates (or lacks data)."""
    rhythm = meeting.get("rhythm")
    weekday = meeting.get("weekday")
    if rhythm == Rhythm.BY_ARRANGEMENT or weekday in (None, "") or not meeting.get("start_time"):
        return None
    weekday = int(weekday)
    if rhythm == Rhythm.WEEKLY:
        return RecurrenceRule("WEEKLY", weekday)
    if rhythm == Rhythm.EVERY_N_WEEKS:
        if not meeting.get("interval_weeks") or not meeting.get("first_date"):
            return None
        return RecurrenceRule("WEEKLY", weekday, interval=int(meeting["interval_weeks"]))
    if rhythm == Rhythm.MONTHLY:
        if not meeting.get("week_of_month"):
            return None
        return RecurrenceRule("MONTHLY", weekday, week_of_month=int(meeting["week_of_month"]))
    return None


def series_start(meeting: Mapping, since: datetime.date) -> datetime.date | None:
    """The first date of the meeting's series on or after `since`.

    An every-n-weeks series counts from its `first_date`, forwards or backwards, so any date of
    the series can be entered, even a future one.
    """
    rule = recurrence_rule(meeting)
    if rule is None:
        return None
    if rule.frequency == "WEEKLY" and rule.interval == 1:
        return since + datetime.timedelta(days=(rule.weekday - since.weekday()) % 7)
    if rule.frequency == "WEEKLY":
        anchor = meeting["first_date"]
        step = 7 * rule.interval
        periods = -(-(since - anchor).days // step)  # rounded up, also for negative numbers
        return anchor + datetime.timedelta(days=periods * step)
    first_of_month = datetime.datetime.combine(since.replace(day=1), datetime.time())
    dates = _rrule(rule, first_of_month)
    return dates.after(datetime.datetime.combine(since, datetime.time()), inc=True).date()


def _rrule(rule: RecurrenceRule, dtstart: datetime.datetime, until=None):
    weekday = WEEKDAYS[rule.weekday]
    if rule.frequency == "MONTHLY":
        return rrule.rrule(
            rrule.MONTHLY, dtstart=dtstart, byweekday=weekday(rule.week_of_month), until=until
        )
    return rrule.rrule(
        rrule.WEEKLY, dtstart=dtstart, interval=rule.interval, byweekday=weekday, until=until
    )


def local(value: datetime.date, time: datetime.time) -> datetime.datetime:
    """The wall-clock `time` on `value` in Berlin, as an aware datetime."""
    return datetime.datetime.combine(value, time).replace(tzinfo=BERLIN)


def meeting_dates(meeting: Mapping, since: datetime.date, until: datetime.date):
    """The dates of a regular meeting from `since` to `until` (inclusive), in order."""
    rule = recurrence_rule(meeting)
    start = series_start(meeting, since)
    if rule is None or start is None or start > until:
        return
    dtstart = datetime.datetime.combine(start, datetime.time())
    end = datetime.datetime.combine(until, datetime.time())
    for value in _rrule(rule, dtstart, until=end):
        yield value.date()


def short_place(meeting: Mapping) -> str:
    return meeting.get("venue_name") or meeting.get("city") or ""


def full_address(meeting: Mapping) -> str:
    """Venue, street, postcode and city as one line, leaving out what is empty."""
    place = " ".join(part for part in (meeting.get("postcode"), meeting.get("city")) if part)
    parts = (meeting.get("venue_name"), meeting.get("street"), place)
    return ", ".join(part for part in parts if part)


def meeting_values(meetings: Iterable) -> list:
    """The meeting values of a StreamField (its children's values) or of a list of mappings."""
    return [getattr(item, "value", item) for item in meetings or ()]


def exception_items(exceptions: Iterable):
    """(block type, value, block id) of StreamField children or (type, value) pairs."""
    for item in exceptions or ():
        if isinstance(item, tuple):
            yield item[0], item[1], None
        else:
            yield item.block_type, item.value, getattr(item, "id", None)


def cancellations(exceptions: Iterable) -> list[Cancellation]:
    return sorted(
        (
            Cancellation(value["date"], value.get("note") or "", block_id)
            for kind, value, block_id in exception_items(exceptions)
            if kind == "cancelled" and value.get("date")
        ),
        key=lambda item: item.date,
    )


def extra_dates(exceptions: Iterable) -> list[ExtraDate]:
    return sorted(
        (
            ExtraDate(
                value["date"],
                value["start_time"],
                value.get("end_time"),
                value.get("place") or "",
                value.get("note") or "",
                block_id,
            )
            for kind, value, block_id in exception_items(exceptions)
            if kind == "extra" and value.get("date") and value.get("start_time")
        ),
        key=lambda item: (item.date, item.start_time),
    )


def clock() -> datetime.datetime:
    """The current time. Everything here asks this function, so a test can fix "now"."""
    return timezone.now()


def berlin_now(now=None) -> datetime.datetime:
    return (now or clock()).astimezone(BERLIN)


def _has_not_ended(occurrence: Occurrence, now: datetime.datetime) -> bool:
    return (occurrence.end or occurrence.start) >= now


def regular_occurrences(meeting: Mapping, since, until, cancelled=frozenset(), index=0):
    """The dates of one regular meeting from `since` to `until`, without the cancelled ones."""
    end_time = meeting.get("end_time")
    for day in meeting_dates(meeting, since, until):
        if day not in cancelled:
            yield Occurrence(
                start=local(day, meeting["start_time"]),
                end=local(day, end_time) if end_time else None,
                place=short_place(meeting),
                address=full_address(meeting),
                note=meeting.get("notes") or "",
                meeting_index=index,
            )


def extra_occurrence(extra: ExtraDate, meetings) -> Occurrence:
    """An extra date as an occurrence; without a place of its own it is at the usual place."""
    usual = next(iter(meeting_values(meetings)), None) or {}
    return Occurrence(
        start=local(extra.date, extra.start_time),
        end=local(extra.date, extra.end_time) if extra.end_time else None,
        place=extra.place or short_place(usual),
        address=extra.place or full_address(usual),
        note=extra.note,
        extra=True,
    )


def upcoming(meetings, exceptions=(), now=None, count=3, horizon=HORIZON) -> list[Occurrence]:
    """The next `count` dates that have not ended yet, regular and extra, soonest first."""
    now = berlin_now(now)
    meetings = meeting_values(meetings)
    today = now.date()
    cancelled = {item.date for item in cancellations(exceptions)}
    found = []
    for index, meeting in enumerate(meetings):
        dates = regular_occurrences(meeting, today, today + horizon, cancelled, index)
        found += islice((date for date in dates if _has_not_ended(date, now)), count)
    for extra in extra_dates(exceptions):
        occurrence = extra_occurrence(extra, meetings)
        if today <= extra.date <= today + horizon and _has_not_ended(occurrence, now):
            found.append(occurrence)
    found.sort(key=lambda occurrence: occurrence.start)
    return found[:count]


def next_occurrence(meetings, exceptions=(), now=None) -> Occurrence | None:
    """The next date the lab meets, or None (no fixed dates, or all cancelled for a year)."""
    dates = upcoming(meetings, exceptions, now=now, count=1)
    return dates[0] if dates else None


def upcoming_changes(meetings, exceptions=(), now=None, ahead=CHANGES_SHOWN_AHEAD):
    """Cancellations of regular meetings and extra dates in the coming months, by date.

    A cancellation is listed only when a regular meeting falls on its date.
    """
    now = berlin_now(now)
    today = now.date()
    meetings = meeting_values(meetings)
    regular_days = {
        day for meeting in meetings for day in meeting_dates(meeting, today, today + ahead)
    }
    changes = [
        ("cancelled", item)
        for item in cancellations(exceptions)
        if today <= item.date <= today + ahead and item.date in regular_days
    ]
    changes += [
        ("extra", extra_occurrence(item, meetings))
        for item in extra_dates(exceptions)
        if today <= item.date <= today + ahead
    ]
    changes.sort(key=lambda change: change[1].date)
    return changes
