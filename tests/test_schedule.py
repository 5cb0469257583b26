"""Next meetings: weekly, every n weeks and monthly rules in Berlin time, with exceptions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from labs import schedule
from labs.blocks import ExtraMeetingBlock, MeetingExceptionsBlock, MeetingScheduleBlock
from tests.factories import weekly_meeting

BERLIN = ZoneInfo("Europe/Berlin")
UTC = datetime.UTC


def at(*args):
    """An aware datetime in Berlin."""
    return datetime.datetime(*args, tzinfo=BERLIN)


def meeting(**values):
    base = {
        "rhythm": "weekly",
        "weekday": "2",
        "start_time": datetime.time(18),
        "end_time": datetime.time(21),
        "venue_name": "Aktivitetshuset",
        "street": "Norderstraße 49",
        "postcode": "24939",
        "city": "Flensburg",
        "notes": "",
    }
    base.update(values)
    return base


def starts(occurrences):
    return [occurrence.start for occurrence in occurrences]


def test_weekly_meetings_keep_their_wall_clock_time_across_the_end_of_summer_time():
    # Summer time ends on Sunday, 25 October 2026: the offset goes from +02:00 to +01:00.
    dates = schedule.upcoming([meeting()], now=at(2026, 10, 19, 12), count=3)
    assert starts(dates) == [at(2026, 10, 21, 18), at(2026, 10, 28, 18), at(2026, 11, 4, 18)]
    assert [date.start.utcoffset() for date in dates] == [
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=1),
    ]
    assert [date.start.astimezone(UTC).hour for date in dates] == [16, 17, 17]
    assert dates[0].end == at(2026, 10, 21, 21)
    assert dates[0].place == "Aktivitetshuset"
    assert dates[0].address == "Aktivitetshuset, Norderstraße 49, 24939 Flensburg"


def test_weekly_meetings_across_the_start_of_summer_time():
    # Summer time starts on Sunday, 29 March 2026.
    dates = schedule.upcoming([meeting(weekday="0")], now=at(2026, 3, 24, 12), count=2)
    assert starts(dates) == [at(2026, 3, 30, 18), at(2026, 4, 6, 18)]
    assert dates[0].start.utcoffset() == datetime.timedelta(hours=2)


def test_a_monthly_meeting_on_the_day_summer_time_ends():
    # The last Sunday of October is the day of the change itself.
    rule = meeting(rhythm="monthly", weekday="6", week_of_month="-1", start_time=datetime.time(10))
    dates = schedule.upcoming([rule], now=at(2026, 10, 1), count=2)
    assert starts(dates) == [at(2026, 10, 25, 10), at(2026, 11, 29, 10)]
    assert dates[0].start.utcoffset() == datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("week", "now", "expected"),
    [
        ("1", at(2026, 10, 7), [at(2026, 11, 3, 19), at(2026, 12, 1, 19), at(2027, 1, 5, 19)]),
        ("2", at(2026, 12, 9), [at(2027, 1, 12, 19), at(2027, 2, 9, 19), at(2027, 3, 9, 19)]),
        ("4", at(2026, 10, 27, 22), [at(2026, 11, 24, 19), at(2026, 12, 22, 19)]),
    ],
)
def test_monthly_on_the_nth_weekday_across_the_year_boundary(week, now, expected):
    rule = meeting(rhythm="monthly", weekday="1", week_of_month=week, start_time=datetime.time(19))
    assert starts(schedule.upcoming([rule], now=now, count=len(expected))) == expected


def test_monthly_on_the_last_weekday_across_the_year_boundary():
    rule = meeting(rhythm="monthly", weekday="4", week_of_month="-1", end_time=None)
    dates = schedule.upcoming([rule], now=at(2026, 12, 26, 9), count=3)
    assert starts(dates) == [at(2027, 1, 29, 18), at(2027, 2, 26, 18), at(2027, 3, 26, 18)]
    assert dates[0].end is None


def test_every_n_weeks_counts_from_any_date_of_the_series():
    past_anchor = meeting(
        rhythm="every-n-weeks", interval_weeks=2, first_date=datetime.date(2026, 11, 4)
    )
    future_anchor = {**past_anchor, "first_date": datetime.date(2027, 1, 13)}
    expected = [
        at(2026, 12, 2, 18),
        at(2026, 12, 16, 18),
        at(2026, 12, 30, 18),
        at(2027, 1, 13, 18),
    ]
    now = at(2026, 11, 23, 12)
    assert starts(schedule.upcoming([past_anchor], now=now, count=4)) == expected
    assert starts(schedule.upcoming([future_anchor], now=now, count=4)) == expected


def test_every_three_weeks_across_the_year_boundary_and_summer_time():
    rule = meeting(
        rhythm="every-n-weeks",
        weekday="3",
        interval_weeks=3,
        first_date=datetime.date(2026, 12, 17),
    )
    dates = schedule.upcoming([rule], now=at(2026, 12, 18), count=5)
    assert starts(dates) == [
        at(2027, 1, 7, 18),
        at(2027, 1, 28, 18),
        at(2027, 2, 18, 18),
        at(2027, 3, 11, 18),
        at(2027, 4, 1, 18),  # after the change to summer time on 28 March 2027
    ]
    assert dates[-1].start.utcoffset() == datetime.timedelta(hours=2)


def test_a_meeting_under_way_is_still_the_next_one():
    assert schedule.next_occurrence([meeting()], now=at(2026, 11, 25, 20)).start == at(
        2026, 11, 25, 18
    )
    assert schedule.next_occurrence([meeting()], now=at(2026, 11, 25, 21, 1)).start == at(
        2026, 12, 2, 18
    )
    # Without an end time a meeting counts as over once it has started.
    untimed = meeting(end_time=None)
    assert schedule.next_occurrence([untimed], now=at(2026, 11, 25, 18, 1)).start == at(
        2026, 12, 2, 18
    )


def test_now_may_be_given_in_any_time_zone():
    # 23:30 UTC on Tuesday is already Wednesday in Berlin.
    now = datetime.datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert schedule.next_occurrence([meeting()], now=now).start == at(2026, 11, 25, 18)


def test_cancelled_dates_are_skipped():
    exceptions = [
        ("cancelled", {"date": datetime.date(2026, 11, 25), "note": "Aufräumtag"}),
        ("cancelled", {"date": datetime.date(2026, 12, 9), "note": ""}),
    ]
    dates = schedule.upcoming([meeting()], exceptions, now=at(2026, 11, 23), count=3)
    assert starts(dates) == [at(2026, 12, 2, 18), at(2026, 12, 16, 18), at(2026, 12, 23, 18)]


def test_a_cancellation_over_christmas_and_new_year():
    exceptions = [
        ("cancelled", {"date": datetime.date(2026, 12, 23), "note": "Weihnachten"}),
        ("cancelled", {"date": datetime.date(2026, 12, 30), "note": ""}),
    ]
    dates = schedule.upcoming([meeting()], exceptions, now=at(2026, 12, 17), count=2)
    assert starts(dates) == [at(2027, 1, 6, 18), at(2027, 1, 13, 18)]


def test_extra_dates_are_added_at_their_own_time_and_place():
    exceptions = [
        (
            "extra",
            {
                "date": datetime.date(2026, 11, 24),
                "start_time": datetime.time(17),
                "end_time": datetime.time(20),
                "place": "",
                "note": "Hackday",
            },
        ),
        (
            "extra",
            {
                "date": datetime.date(2026, 11, 28),
                "start_time": datetime.time(10),
                "end_time": None,
                "place": "Volksbad, Schiffbrücke 67",
                "note": "",
            },
        ),
    ]
    dates = schedule.upcoming([meeting()], exceptions, now=at(2026, 11, 23), count=4)
    assert starts(dates) == [
        at(2026, 11, 24, 17),
        at(2026, 11, 25, 18),
        at(2026, 11, 28, 10),
        at(2026, 12, 2, 18),
    ]
    hackday, regular, volksbad, _ = dates
    assert hackday.extra and hackday.note == "Hackday" and hackday.place == "Aktivitetshuset"
    assert hackday.end == at(2026, 11, 24, 20)
    assert not regular.extra and regular.meeting_index == 0
    assert volksbad.place == "Volksbad, Schiffbrücke 67" and volksbad.end is None


def test_an_extra_date_also_happens_without_regular_meetings():
    exceptions = [("extra", {"date": datetime.date(2027, 1, 8), "start_time": datetime.time(18)})]
    arranged = meeting(rhythm="by-arrangement", weekday="", notes="Schreib uns.")
    occurrence = schedule.next_occurrence([arranged], exceptions, now=at(2026, 12, 1))
    assert occurrence.start == at(2027, 1, 8, 18) and occurrence.extra


def test_by_arrangement_has_no_dates():
    arranged = meeting(rhythm="by-arrangement", weekday="", start_time=None, notes="Schreib uns.")
    assert schedule.recurrence_rule(arranged) is None
    assert schedule.upcoming([arranged], now=at(2026, 11, 23)) == []
    assert schedule.next_occurrence([arranged], now=at(2026, 11, 23)) is None


@pytest.mark.parametrize(
    "incomplete",
    [
        meeting(start_time=None),
        meeting(weekday=""),
        meeting(rhythm="every-n-weeks", interval_weeks=None, first_date=datetime.date(2026, 1, 7)),
        meeting(rhythm="every-n-weeks", interval_weeks=2, first_date=None),
        meeting(rhythm="monthly", week_of_month=""),
    ],
)
def test_incomplete_schedules_have_no_dates(incomplete):
    assert schedule.next_occurrence([incomplete], now=at(2026, 11, 23)) is None


def test_several_meetings_are_merged_in_order():
    weekly = meeting()
    monthly = meeting(
        rhythm="monthly",
        weekday="5",
        week_of_month="1",
        start_time=datetime.time(11),
        end_time=datetime.time(15),
        venue_name="Makerspace",
    )
    dates = schedule.upcoming([weekly, monthly], now=at(2026, 11, 23), count=4)
    assert starts(dates) == [
        at(2026, 11, 25, 18),
        at(2026, 12, 2, 18),
        at(2026, 12, 5, 11),
        at(2026, 12, 9, 18),
    ]
    assert [date.meeting_index for date in dates] == [0, 0, 1, 0]
    assert dates[2].place == "Makerspace"


def test_upcoming_changes_list_cancellations_that_hit_a_meeting_and_extra_dates():
    exceptions = [
        ("cancelled", {"date": datetime.date(2026, 12, 23), "note": "Weihnachten"}),
        ("cancelled", {"date": datetime.date(2026, 12, 24), "note": "kein Mittwoch"}),
        ("cancelled", {"date": datetime.date(2026, 11, 18), "note": "vorbei"}),
        ("extra", {"date": datetime.date(2026, 12, 28), "start_time": datetime.time(17)}),
        ("cancelled", {"date": datetime.date(2027, 9, 1), "note": "zu weit weg"}),
    ]
    changes = schedule.upcoming_changes([meeting()], exceptions, now=at(2026, 11, 23))
    assert [(kind, item.date) for kind, item in changes] == [
        ("cancelled", datetime.date(2026, 12, 23)),
        ("extra", datetime.date(2026, 12, 28)),
    ]


def test_the_rule_in_rfc_5545_terms():
    assert schedule.recurrence_rule(meeting()).byday() == "WE"
    monthly = schedule.recurrence_rule(meeting(rhythm="monthly", week_of_month="-1", weekday="4"))
    assert (monthly.frequency, monthly.byday()) == ("MONTHLY", "-1FR")
    every = schedule.recurrence_rule(
        meeting(rhythm="every-n-weeks", interval_weeks=3, first_date=datetime.date(2026, 1, 7))
    )
    assert (every.frequency, every.interval, every.byday()) == ("WEEKLY", 3, "WE")


def test_block_values_work_like_plain_dicts():
    block = MeetingScheduleBlock()
    value = block.to_python(
        {
            "rhythm": "weekly",
            "weekday": "2",
            "start_time": "18:00",
            "end_time": "21:00",
            "venue_name": "Aktivitetshuset",
            "city": "Flensburg",
        }
    )
    exceptions = MeetingExceptionsBlock().to_python(
        [{"type": "cancelled", "value": {"date": "2026-11-25", "note": ""}, "id": "a"}]
    )
    occurrence = schedule.next_occurrence([value], exceptions, now=at(2026, 11, 23))
    assert occurrence.start == at(2026, 12, 2, 18)


def test_an_extra_meeting_must_end_after_it_starts():
    from django.core.exceptions import ValidationError

    block = ExtraMeetingBlock()
    value = block.to_python(
        {"date": "2026-12-28", "start_time": "18:00", "end_time": "17:00", "place": "", "note": ""}
    )
    with translation.override("en"), pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_lab_page_next_meeting_and_none_for_an_inactive_lab(lab_index, monkeypatch):
    from tests.factories import LabPageFactory

    monkeypatch.setattr(schedule, "clock", lambda: at(2026, 11, 23, 12))
    lab = LabPageFactory(parent=lab_index, city="Kiel", meetings=[weekly_meeting()])
    assert lab.next_meeting().start == at(2026, 11, 25, 18)
    assert lab.next_meeting(now=at(2026, 11, 26)).start == at(2026, 12, 2, 18)
    lab.inactive = True
    assert lab.upcoming_meetings() == [] and lab.meeting_changes() == []


@pytest.mark.django_db
def test_editors_add_cancelled_and_extra_meetings_in_the_admin(admin_client_logged_in, flensburg):
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from labs.models import LabPage

    # In the "Meetings & contact" tab, right after the regular meetings.
    names = [getattr(panel, "field_name", None) for panel in LabPage.details_panels]
    assert names.index("meeting_exceptions") == names.index("meetings") + 1
    field = LabPage._meta.get_field("meeting_exceptions")
    assert field.help_text and field.blank

    def form(exceptions):
        return nested_form_data(
            {
                "title": flensburg.title,
                "slug": flensburg.slug,
                "city": flensburg.city,
                "bundesland": flensburg.bundesland,
                "lat": str(flensburg.lat),
                "long": str(flensburg.long),
                "intro": flensburg.intro,
                "url_aliases": "",
                "meetings": streamfield(
                    [
                        (
                            "meeting",
                            {
                                "rhythm": "weekly",
                                "weekday": "2",
                                "interval_weeks": "",
                                "first_date": "",
                                "week_of_month": "",
                                "start_time": "18:00",
                                "end_time": "21:00",
                                "venue_name": "Aktivitetshuset",
                                "street": "",
                                "postcode": "",
                                "city": "Flensburg",
                                "notes": "",
                            },
                        )
                    ]
                ),
                "meeting_exceptions": streamfield(exceptions),
                "leads": streamfield([]),
                "members": streamfield([]),
                "links": streamfield([]),
                "body": streamfield([]),
                "action-publish": "publish",
            }
        )

    url = reverse("wagtailadmin_pages:edit", args=[flensburg.pk])
    bad_extra = ("extra", {"date": "2026-12-28", "start_time": "18:00", "end_time": "17:00"})
    with translation.override("en"):
        response = admin_client_logged_in.post(url, form([bad_extra]))
    assert response.status_code == 200  # the form comes back with the error
    exceptions = [
        ("cancelled", {"date": "2026-12-23", "note": "Weihnachten"}),
        (
            "extra",
            {
                "date": "2026-12-28",
                "start_time": "17:00",
                "end_time": "20:00",
                "place": "",
                "note": "Jahresrückblick",
            },
        ),
    ]
    response = admin_client_logged_in.post(url, form(exceptions))
    assert response.status_code == 302
    flensburg.refresh_from_db()
    kinds = [(block.block_type, block.value["date"]) for block in flensburg.meeting_exceptions]
    assert kinds == [
        ("cancelled", datetime.date(2026, 12, 23)),
        ("extra", datetime.date(2026, 12, 28)),
    ]
    dates = schedule.upcoming(
        flensburg.meetings, flensburg.meeting_exceptions, now=at(2026, 12, 20), count=3
    )
    assert starts(dates) == [at(2026, 12, 28, 17), at(2026, 12, 30, 18), at(2027, 1, 6, 18)]
