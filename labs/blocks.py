"""Blocks of a lab page: its regular meetings, members, and the lab body's extra blocks."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import BaseStreamBlock


class Rhythm:
    WEEKLY = "weekly"
    EVERY_N_WEEKS = "every-n-weeks"
    MONTHLY = "monthly"
    BY_ARRANGEMENT = "by-arrangement"

    choices = [
        (WEEKLY, _("Weekly")),
        (EVERY_N_WEEKS, _("Every n weeks")),
        (MONTHLY, _("Monthly on the n-th weekday")),
        (BY_ARRANGEMENT, _("By arrangement")),
    ]


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
WEEK_OF_MONTH_CHOICES = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]


class MeetingStructValue(blocks.StructValue):
    def has_fixed_dates(self):
        return self.get("rhythm") != Rhythm.BY_ARRANGEMENT

    def rhythm_text(self):
        """The rhythm in words, e.g. "Every Wednesday, 18:00–21:00"."""
        weekday = dict(WEEKDAY_CHOICES).get(self.get("weekday") or "", "")
        rhythm = self.get("rhythm")
        if rhythm == Rhythm.WEEKLY:
            text = _("Every %(weekday)s") % {"weekday": weekday}
        elif rhythm == Rhythm.EVERY_N_WEEKS:
            text = _("Every %(weeks)s weeks on %(weekday)s") % {
                "weeks": self.get("interval_weeks"),
                "weekday": weekday,
            }
        elif rhythm == Rhythm.MONTHLY:
            week = dict(WEEK_OF_MONTH_CHOICES).get(self.get("week_of_month") or "", "")
            text = _("Every %(week)s %(weekday)s of the month") % {"week": week, "weekday": weekday}
        else:
            return str(_("By arrangement"))
        return f"{text}, {self.time_text()}" if self.get("start_time") else str(text)

    def time_text(self):
        start, end = self.get("start_time"), self.get("end_time")
        if not start:
            return ""
        if end:
            return _("%(start)s–%(end)s") % {
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            }
        return _("from %(start)s") % {"start": start.strftime("%H:%M")}

    def address(self):
        """Venue, street, postcode and city as one line, leaving out what is empty."""
        place = " ".join(part for part in (self.get("postcode"), self.get("city")) if part)
        parts = (self.get("venue_name"), self.get("street"), place)
        return ", ".join(part for part in parts if part)


class MeetingScheduleBlock(blocks.StructBlock):
    """A lab's regular meeting: a rhythm, a time and a place, from which dates are computed."""

    rhythm = blocks.ChoiceBlock(label=_("Rhythm"), choices=Rhythm.choices, default=Rhythm.WEEKLY)
    weekday = blocks.ChoiceBlock(
        label=_("Weekday"),
        choices=WEEKDAY_CHOICES,
        required=False,
        help_text=_("The day of the week the lab meets (not needed “by arrangement”)."),
    )
    interval_weeks = blocks.IntegerBlock(
        label=_("Every … weeks"),
        required=False,
        min_value=2,
        max_value=8,
        help_text=_("Only for “every n weeks”: 2 means every other week."),
    )
    first_date = blocks.DateBlock(
        label=_("A date it takes place"),
        required=False,
        help_text=_("Only for “every n weeks”: any one date of the series, to count from."),
    )
    week_of_month = blocks.ChoiceBlock(
        label=_("Week of the month"),
        choices=WEEK_OF_MONTH_CHOICES,
        required=False,
        help_text=_("Only for “monthly”: e.g. “first” for the first Tuesday of each month."),
    )
    start_time = blocks.TimeBlock(label=_("Starts at"), required=False)
    end_time = blocks.TimeBlock(label=_("Ends at"), required=False)
    venue_name = blocks.CharBlock(label=_("Venue"), required=False, default="", max_length=120)
    street = blocks.CharBlock(
        label=_("Street and number"), required=False, default="", max_length=120
    )
    postcode = blocks.RegexBlock(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Enter a German postcode of five digits, e.g. 24939.")},
    )
    city = blocks.CharBlock(label=_("City"), required=False, default="", max_length=80)
    notes = blocks.TextBlock(
        label=_("Notes"),
        required=False,
        default="",
        max_length=500,
        help_text=_("e.g. “Rear building, ring twice”, or how to arrange a meeting."),
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        rhythm = value.get("rhythm")
        if rhythm != Rhythm.BY_ARRANGEMENT:
            if not value.get("weekday"):
                errors["weekday"] = _("Choose the weekday of the meeting.")
            if not value.get("start_time"):
                errors["start_time"] = _("Enter when the meeting starts, e.g. 18:00.")
        elif not value.get("notes"):
            errors["notes"] = _("Say how people can arrange a meeting.")
        if rhythm == Rhythm.EVERY_N_WEEKS:
            if not value.get("interval_weeks"):
                errors["interval_weeks"] = _("Enter how many weeks lie between meetings.")
            if not value.get("first_date"):
                errors["first_date"] = _("Enter one date of the series to count from.")
            elif value.get("weekday") and value["first_date"].weekday() != int(value["weekday"]):
                errors["first_date"] = _("This date is not on the chosen weekday.")
        if rhythm == Rhythm.MONTHLY and not value.get("week_of_month"):
            errors["week_of_month"] = _("Choose which week of the month, e.g. “first”.")
        start, end = value.get("start_time"), value.get("end_time")
        if start and end and end <= start:
            errors["end_time"] = _("The end must be after the start.")
        if errors:
            raise StructBlockValidationError(
                block_errors={name: ValidationError(message) for name, message in errors.items()}
            )
        return value

    class Meta:
        icon = "date"
        label = _("Regular meeting")
        template = "blocks/meeting_block.html"
        value_class = MeetingStructValue
        description = _("When and where the lab meets regularly; dates are computed from it.")
        preview_value = {
            "rhythm": Rhythm.WEEKLY,
            "weekday": "2",
            "start_time": datetime.time(18, 0),
            "end_time": datetime.time(21, 0),
            "venue_name": "Aktivitetshuset",
            "street": "Norderstraße 49",
            "postcode": "24939",
            "city": "Flensburg",
            "notes": "Hinterhaus",
        }


class CancelledMeetingBlock(blocks.StructBlock):
    """A date on which the regular meeting does not take place."""

    date = blocks.DateBlock(
        label=_("Date"),
        help_text=_("The regular meeting on this day does not take place."),
    )
    note = blocks.CharBlock(
        label=_("Note"),
        required=False,
        default="",
        max_length=200,
        help_text=_("Optional, e.g. “Christmas break” or “We meet at the Open Data Day instead”."),
    )

    class Meta:
        icon = "cross"
        label = _("Cancelled meeting")
        template = "blocks/cancelled_meeting_block.html"
        description = _("A date on which the regular meeting is cancelled.")
        preview_value = {"date": datetime.date(2026, 12, 23), "note": "Weihnachtspause"}


class ExtraMeetingBlock(blocks.StructBlock):
    """A one-off meeting besides the regular ones."""

    date = blocks.DateBlock(label=_("Date"))
    start_time = blocks.TimeBlock(label=_("Starts at"))
    end_time = blocks.TimeBlock(label=_("Ends at"), required=False)
    place = blocks.CharBlock(
        label=_("Place"),
        required=False,
        default="",
        max_length=200,
        help_text=_("Venue and address; leave empty when it is the usual place."),
    )
    note = blocks.CharBlock(
        label=_("Note"),
        required=False,
        default="",
        max_length=300,
        help_text=_("Optional, e.g. “Hack night on the city's new open data portal”."),
    )

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_time"), value.get("end_time")
        if start and end and end <= start:
            raise StructBlockValidationError(
                block_errors={"end_time": ValidationError(_("The end must be after the start."))}
            )
        return value

    class Meta:
        icon = "date"
        label = _("Extra meeting")
        template = "blocks/extra_meeting_block.html"
        description = _("A one-off meeting on a date of its own, besides the regular ones.")
        preview_value = {
            "date": datetime.date(2026, 12, 30),
            "start_time": datetime.time(18, 0),
            "end_time": datetime.time(21, 0),
            "place": "",
            "note": "Jahresrückblick",
        }


class MeetingExceptionsBlock(blocks.StreamBlock):
    """Changes to a lab's regular meetings: cancelled dates and extra dates."""

    cancelled = CancelledMeetingBlock()
    extra = ExtraMeetingBlock()


class MemberBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    github = blocks.RegexBlock(
        label=_("GitHub user name"),
        regex=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$",
        required=False,
        error_messages={"invalid": _("Enter the user name only, without https://github.com/.")},
    )
    mastodon = blocks.RegexBlock(
        label=_("Mastodon handle"),
        regex=r"^@?[A-Za-z0-9_]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
        required=False,
        error_messages={"invalid": _("Enter the handle as @name@server.social.")},
    )

    class Meta:
        icon = "user"
        label = _("Member")
        template = "blocks/member_block.html"
        description = _("A member of the lab with optional GitHub and Mastodon handles.")
        preview_value = {"name": "Ada Lovelace", "github": "ada", "mastodon": "@ada@norden.social"}


class LabStreamBlock(BaseStreamBlock):
    """The body of a lab page: the network's blocks plus a meeting block."""

    meeting = MeetingScheduleBlock()
