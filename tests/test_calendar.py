"""iCalendar feeds: RRULEs in Berlin time, EXDATEs, extra dates, events, one per lab and network."""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from labs import schedule
from labs.models import LabPage
from tests.conftest import translate
from tests.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    LabPageFactory,
    weekly_meeting,
    with_labs,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2026, 10, 12, 12, tzinfo=BERLIN)  # before the end of summer time
WINDOW_END = datetime.datetime(2027, 1, 31, tzinfo=BERLIN)


def at(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(schedule, "clock", lambda: NOW)
    return NOW


@pytest.fixture
def labs(fixed_now, home_page, lab_index, flensburg, english):
    """Flensburg (weekly, monthly, exceptions, events), Kiel, Ulm (inactive), English pages."""
    flensburg.meetings = [
        weekly_meeting(notes="Hinterhaus, zweimal klingeln"),
        (
            "meeting",
            {
                "rhythm": "monthly",
                "weekday": "5",
                "week_of_month": "-1",
                "start_time": datetime.time(11),
                "end_time": datetime.time(15),
                "venue_name": "Makerspace",
                "street": "Schiffbrücke 1",
                "postcode": "24939",
                "city": "Flensburg",
            },
        ),
        ("meeting", {"rhythm": "by-arrangement", "weekday": "", "notes": "Schreib uns."}),
    ]
    flensburg.meeting_exceptions = [
        ("cancelled", {"date": datetime.date(2026, 10, 28), "note": "Herbstferien"}),
        ("cancelled", {"date": datetime.date(2026, 12, 23), "note": "Weihnachten"}),
        (
            "extra",
            {
                "date": datetime.date(2026, 11, 2),
                "start_time": datetime.time(17),
                "end_time": datetime.time(20),
                "place": "",
                "note": "Hackday",
            },
        ),
    ]
    flensburg.save_revision().publish()
    LabPage.objects.filter(pk=flensburg.pk).update(
        first_published_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    flensburg.refresh_from_db()
    kiel = LabPageFactory(
        parent=lab_index,
        city="Kiel",
        slug="kiel",
        meetings=[weekly_meeting(weekday="0", start=19, end=21, venue_name="Kieler Kneipe")],
    )
    ulm = LabPageFactory(parent=lab_index, city="Ulm", slug="ulm", inactive=True)
    events = EventIndexPageFactory(parent=home_page)
    EventPageFactory(
        parent=flensburg,
        title="Open Data Day",
        start=at(2026, 11, 7, 10),
        end=at(2026, 11, 7, 16),
    )
    EventPageFactory(
        parent=flensburg, title="Workshop", start=at(2026, 11, 14, 10), status="cancelled"
    )
    with_labs(
        EventPageFactory(
            parent=events, title="Netzwerktreffen", start=at(2026, 12, 1, 0), all_day=True
        ),
        kiel,
    )
    EventPageFactory(parent=events, title="Konferenz", start=at(2026, 11, 20, 9))
    EventPageFactory(parent=events, title="Längst vorbei", start=at(2025, 1, 10, 9))
    translate(lab_index, english, title="OK Labs", slug="ok-labs")
    flensburg_en = translate(flensburg, english, intro="Civic tech in the north.")
    # As wagtail-localize does: the same blocks (same ids), with translated notes.
    notes = {"Herbstferien": "Autumn holidays", "Weihnachten": "Christmas", "Hackday": "Hack day"}
    flensburg_en.meeting_exceptions = [
        {
            "type": block.block_type,
            "id": block.id,
            "value": {
                **block.block.get_prep_value(block.value),
                "note": notes[block.value["note"]],
            },
        }
        for block in flensburg_en.meeting_exceptions
    ]
    flensburg_en.save_revision().publish()
    flensburg_en.refresh_from_db()
    return {"flensburg": flensburg, "flensburg_en": flensburg_en, "kiel": kiel, "ulm": ulm}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(calendar):
    return list(calendar.walk("VEVENT"))


def by_summary(calendar, text):
    return [event for event in events_of(calendar) if text in str(event["SUMMARY"])]


def meeting_instances(calendar, start=NOW, end=WINDOW_END):
    """The regular and extra meetings of the feed between `start` and `end`, expanded."""
    return sorted(
        event["DTSTART"].dt
        for event in recurring_ical_events.of(calendar).between(start, end)
        if str(event["UID"]).startswith(("meeting-", "extra-"))
    )


def test_lab_feed_has_a_berlin_timezone_rrules_exdates_and_stable_uids(client, labs):
    calendar = fetch(client, "/calendar/de/labs/flensburg.ics")
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=6)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Berlin"]
    assert {component.name for component in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    weekly, monthly = by_summary(calendar, "OK Lab Flensburg: Treffen")
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"] and weekly["RRULE"]["BYDAY"] == ["WE"]
    assert monthly["RRULE"]["FREQ"] == ["MONTHLY"] and monthly["RRULE"]["BYDAY"] == ["-1SA"]
    assert weekly["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert weekly["DTSTART"].dt == at(2025, 1, 1, 18)  # the lab's first publication
    assert weekly["DTEND"].dt == at(2025, 1, 1, 21)
    exdates = [value.dt for exdate in [weekly["EXDATE"]] for value in exdate.dts]
    assert exdates == [at(2026, 10, 28, 18), at(2026, 12, 23, 18)]
    assert "EXDATE" not in monthly  # no cancellation falls on the workshop
    assert str(weekly["LOCATION"]) == "Aktivitetshuset, Norderstraße 49, 24939 Flensburg"
    assert str(weekly["URL"]) == "http://localhost/ok-labs/flensburg/"
    assert "Hinterhaus, zweimal klingeln" in str(weekly["DESCRIPTION"])
    (extra,) = by_summary(calendar, "zusätzliches Treffen")
    assert extra["DTSTART"].dt == at(2026, 11, 2, 17) and "RRULE" not in extra
    assert "Hackday" in str(extra["DESCRIPTION"])
    uids = [str(event["UID"]) for event in events_of(calendar)]
    assert len(uids) == len(set(uids))
    again = fetch(client, "/calendar/de/labs/flensburg.ics")
    english = fetch(client, "/calendar/en/labs/flensburg.ics")
    assert uids == [str(event["UID"]) for event in events_of(again)]
    assert sorted(uids) == sorted(str(event["UID"]) for event in events_of(english))


def test_feed_expands_to_the_dates_the_page_shows(client, labs):
    calendar = fetch(client, "/calendar/de/labs/flensburg.ics")
    instances = meeting_instances(calendar)
    page_dates = [
        occurrence.start
        for occurrence in labs["flensburg"].upcoming_meetings(count=100)
        if occurrence.start < WINDOW_END
    ]
    assert instances == page_dates
    assert at(2026, 10, 28, 18) not in instances and at(2026, 12, 23, 18) not in instances
    assert at(2026, 11, 2, 17) in instances
    # Wednesdays stay at 18:00 on both sides of the change to winter time on 25 October.
    wednesdays = [instance for instance in instances if instance.weekday() == 2]
    assert {instance.astimezone(BERLIN).hour for instance in wednesdays} == {18}
    assert at(2026, 10, 21, 18).utcoffset() != at(2026, 11, 4, 18).utcoffset()
    assert at(2026, 10, 21, 18) in wednesdays and at(2026, 11, 4, 18) in wednesdays
    # The page shows the first of them as the next meeting.
    html = client.get("/ok-labs/flensburg/").content.decode()
    shown = re.search(r'class="next-meeting">.*?<time datetime="([^"]+)"', html, re.S).group(1)
    assert datetime.datetime.fromisoformat(shown) == instances[0] == at(2026, 10, 14, 18)


def test_english_feed_has_english_text_and_addresses(client, labs):
    calendar = fetch(client, "/calendar/en/labs/flensburg.ics")
    assert str(calendar["X-WR-CALNAME"]) == "OK Lab Flensburg – meetings and events"
    weekly = by_summary(calendar, "OK Lab Flensburg: meeting")[0]
    assert str(weekly["URL"]) == "http://localhost/en/ok-labs/flensburg/"
    assert "Every Wednesday, 18:00–21:00" in str(weekly["DESCRIPTION"])
    (extra,) = by_summary(calendar, "extra meeting")
    assert "Hack day" in str(extra["DESCRIPTION"])
    # Events not translated come in German and say so.
    (event,) = by_summary(calendar, "Open Data Day")
    assert str(event["SUMMARY"]) == "Open Data Day (in German)"
    assert meeting_instances(calendar) == meeting_instances(
        fetch(client, "/calendar/de/labs/flensburg.ics")
    )


def test_lab_feed_holds_its_events_and_a_cancelled_one_says_so(client, labs):
    calendar = fetch(client, "/calendar/de/labs/flensburg.ics")
    (open_data_day,) = by_summary(calendar, "Open Data Day")
    assert open_data_day["STATUS"] == "CONFIRMED"
    assert open_data_day["DTSTART"].dt == at(2026, 11, 7, 10)
    assert open_data_day["DTEND"].dt == at(2026, 11, 7, 16)
    assert str(open_data_day["LOCATION"]) == "Stadtbibliothek, Flensburg"
    assert str(open_data_day["URL"]).startswith("http://localhost/ok-labs/flensburg/")
    (workshop,) = by_summary(calendar, "Workshop")
    assert workshop["STATUS"] == "CANCELLED"
    summaries = [str(event["SUMMARY"]) for event in events_of(calendar)]
    assert not any(name in " ".join(summaries) for name in ("Konferenz", "Kiel", "vorbei"))


def test_network_feed_holds_every_active_lab_and_every_event(client, labs):
    calendar = fetch(client, "/calendar/de/labs.ics")
    summaries = [str(event["SUMMARY"]) for event in events_of(calendar)]
    assert summaries.count("OK Lab Flensburg: Treffen") == 2
    assert summaries.count("OK Lab Kiel: Treffen") == 1
    assert not any("Ulm" in summary for summary in summaries)  # inactive: no meetings
    for title in ("Open Data Day", "Workshop", "Netzwerktreffen", "Konferenz"):
        assert title in summaries
    assert "Längst vorbei" not in summaries  # ended more than half a year ago
    (all_day,) = by_summary(calendar, "Netzwerktreffen")
    assert all_day["DTSTART"].dt == datetime.date(2026, 12, 1)
    assert all_day["DTEND"].dt == datetime.date(2026, 12, 2)
    kiel = meeting_instances(calendar, NOW, at(2026, 10, 27))
    assert at(2026, 10, 19, 19) in kiel and at(2026, 10, 26, 19) in kiel


def test_the_network_feed_and_lab_feed_agree_on_a_lab(client, labs):
    network = fetch(client, "/calendar/de/labs.ics")
    lab = fetch(client, "/calendar/de/labs/flensburg.ics")
    flensburg_uids = {str(event["UID"]) for event in events_of(lab)}
    network_instances = sorted(
        event["DTSTART"].dt
        for event in recurring_ical_events.of(network).between(NOW, WINDOW_END)
        if str(event["UID"]) in flensburg_uids and str(event["UID"]).startswith("meeting-")
    )
    lab_instances = sorted(
        event["DTSTART"].dt
        for event in recurring_ical_events.of(lab).between(NOW, WINDOW_END)
        if str(event["UID"]).startswith("meeting-")
    )
    assert network_instances == lab_instances


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/fr/labs.ics",
        "/calendar/xx/labs/flensburg.ics",
        "/calendar/de/labs/atlantis.ics",
        "/calendar/en/labs/atlantis.ics",
    ],
)
def test_unknown_languages_and_labs_are_not_found(client, labs, url):
    assert client.get(url).status_code == 404


def test_an_inactive_lab_has_a_feed_without_meetings(client, labs):
    calendar = fetch(client, "/calendar/de/labs/ulm.ics")
    assert by_summary(calendar, "Treffen") == []


def test_pages_link_to_the_feeds(client, labs):
    html = client.get("/ok-labs/flensburg/").content.decode()
    assert (
        '<link rel="alternate" type="text/calendar" '
        'title="OK Lab Flensburg: Treffen und Termine (iCalendar)" '
        'href="/calendar/de/labs/flensburg.ics">'
    ) in html
    assert 'href="/calendar/de/labs.ics"' in html
    english = client.get("/en/ok-labs/flensburg/").content.decode()
    assert (
        '<a href="/calendar/en/labs/flensburg.ics" type="text/calendar">Add to calendar</a>'
        in english
    )
    index = client.get("/en/ok-labs/").content.decode()
    assert '<link rel="alternate" type="text/calendar"' in index
    assert (
        '<a href="/calendar/en/labs.ics" type="text/calendar">'
        "Add the meetings and events of all labs to your calendar</a>"
    ) in index
    events = client.get("/termine/").content.decode()
    assert '<a href="/calendar/de/labs.ics" type="text/calendar">' in events
