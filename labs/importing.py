"""The importer's lab mapping: a lab file of the network's Hugo site becomes a LabPage.

Front matter as in the codefor.de repository: city, title, lat, long, inactive, aliases, members,
links (name, url), leads (name, url: mostly mailto:), feeds (type, url), ExternalProjectsUrl.
The old files name no federal state, so it comes from the table of lab cities below.
"""

import datetime
import math
from urllib.parse import urlsplit

from home.blocks import LinkKind
from home.importing.document import ImportFileError
from home.importing.registry import PageMapping, register
from labs.bundeslaender import Bundesland
from labs.models import LabPage

B = Bundesland
# The labs' cities (and regions) with their federal state and a central point.
LAB_PLACES = {
    "Bad Belzig": (B.BRANDENBURG, 52.1427, 12.5952),
    "Berlin": (B.BERLIN, 52.5200, 13.4050),
    "Bielefeld": (B.NORDRHEIN_WESTFALEN, 52.0211, 8.5328),
    "Bonn": (B.NORDRHEIN_WESTFALEN, 50.7374, 7.0982),
    "Chemnitz": (B.SACHSEN, 50.8278, 12.9214),
    "Cottbus": (B.BRANDENBURG, 51.7563, 14.3329),
    "Dresden": (B.SACHSEN, 51.0504, 13.7373),
    "Düsseldorf": (B.NORDRHEIN_WESTFALEN, 51.2277, 6.7735),
    "Erlangen": (B.BAYERN, 49.5897, 11.0120),
    "Flensburg": (B.SCHLESWIG_HOLSTEIN, 54.7937, 9.4470),
    "Forst (Lausitz)": (B.BRANDENBURG, 51.7371, 14.6401),
    "Frankfurt": (B.HESSEN, 50.1109, 8.6821),
    "Freiburg": (B.BADEN_WUERTTEMBERG, 47.9990, 7.8421),
    "Gießen": (B.HESSEN, 50.5841, 8.6784),
    "Hamburg": (B.HAMBURG, 53.5511, 9.9937),
    "Hannover": (B.NIEDERSACHSEN, 52.3759, 9.7320),
    "Heidelberg": (B.BADEN_WUERTTEMBERG, 49.3988, 8.6724),
    "Heilbronn": (B.BADEN_WUERTTEMBERG, 49.1427, 9.2109),
    "Jena": (B.THUERINGEN, 50.9271, 11.5892),
    "Kaiserslautern": (B.RHEINLAND_PFALZ, 49.4447, 7.7690),
    "Karlsruhe": (B.BADEN_WUERTTEMBERG, 49.0069, 8.4037),
    "Köln": (B.NORDRHEIN_WESTFALEN, 50.9375, 6.9603),
    "Leipzig": (B.SACHSEN, 51.3397, 12.3731),
    "Magdeburg": (B.SACHSEN_ANHALT, 52.1205, 11.6276),
    "Mecklenburg-Vorpommern": (B.MECKLENBURG_VORPOMMERN, 53.6127, 12.4296),
    "München": (B.BAYERN, 48.1351, 11.5820),
    "Münster": (B.NORDRHEIN_WESTFALEN, 51.9607, 7.6261),
    "Neu-Ulm": (B.BAYERN, 48.3923, 10.0112),
    "Niederrhein": (B.NORDRHEIN_WESTFALEN, 51.4816, 6.6408),
    "Nürnberg": (B.BAYERN, 49.4521, 11.0767),
    "Osnabrück": (B.NIEDERSACHSEN, 52.2799, 8.0472),
    "Paderborn": (B.NORDRHEIN_WESTFALEN, 51.7189, 8.7575),
    "Potsdam": (B.BRANDENBURG, 52.3906, 13.0645),
    "Ruhrgebiet": (B.NORDRHEIN_WESTFALEN, 51.4332, 7.6616),
    "Saarland": (B.SAARLAND, 49.3964, 7.0230),
    "Schleswig-Flensburg": (B.SCHLESWIG_HOLSTEIN, 54.6641, 9.4006),
    "Stuttgart": (B.BADEN_WUERTTEMBERG, 48.7758, 9.1829),
    "Wuppertal": (B.NORDRHEIN_WESTFALEN, 51.2562, 7.1508),
}

LINK_KINDS_BY_HOST = {
    "github.com": LinkKind.GITHUB,
    "twitter.com": LinkKind.TWITTER,
    "x.com": LinkKind.TWITTER,
    "facebook.com": LinkKind.FACEBOOK,
    "bsky.app": LinkKind.BLUESKY,
    "matrix.to": LinkKind.MATRIX,
    "meetup.com": LinkKind.MEETUP,
}
LINK_KINDS_BY_WORD = [
    ("mastodon", LinkKind.MASTODON),
    ("github", LinkKind.GITHUB),
    ("twitter", LinkKind.TWITTER),
    ("facebook", LinkKind.FACEBOOK),
    ("bluesky", LinkKind.BLUESKY),
    ("matrix", LinkKind.MATRIX),
    ("meetup", LinkKind.MEETUP),
    ("newsletter", LinkKind.NEWSLETTER),
    ("mailingliste", LinkKind.MAILING_LIST),
    ("mailing list", LinkKind.MAILING_LIST),
    ("mailman", LinkKind.MAILING_LIST),
    ("pad", LinkKind.PAD),
    ("codimd", LinkKind.PAD),
    ("hackmd", LinkKind.PAD),
    ("notizen", LinkKind.PAD),
    ("website", LinkKind.WEBSITE),
    ("blog", LinkKind.WEBSITE),
    ("homepage", LinkKind.WEBSITE),
]


def link_kind(name, url):
    """The kind of a link, recognised from its host or from words in its name or address."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host in LINK_KINDS_BY_HOST:
        return LINK_KINDS_BY_HOST[host]
    text = f"{name} {url}".lower()
    if "/@" in url and host:
        return LinkKind.MASTODON
    for word, kind in LINK_KINDS_BY_WORD:
        if word in text:
            return kind
    return LinkKind.OTHER


def place_for(city, lat, long, report):
    """Federal state and coordinates: from the table, else the nearest city in it."""
    if city in LAB_PLACES:
        bundesland, table_lat, table_long = LAB_PLACES[city]
        if lat is None or long is None:
            report.warn("coordinates-from-city-table", f"no lat/long; used those of {city}", 2)
            return bundesland, table_lat, table_long
        return bundesland, lat, long
    if lat is None or long is None:
        return None, None, None
    nearest = min(
        LAB_PLACES.items(),
        key=lambda item: math.dist((item[1][1], item[1][2]), (lat, long)),
    )
    report.warn("bundesland-guessed", f"{city!r} not in the table; {nearest[0]} is nearest", 2)
    return nearest[1][0], lat, long


def as_list(value):
    return value if isinstance(value, list) else []


class LabMapping(PageMapping):
    kind = "lab"
    model = LabPage
    known_keys = frozenset(
        {
            "title",
            "city",
            "lat",
            "long",
            "inactive",
            "hide",
            "aliases",
            "members",
            "links",
            "leads",
            "feeds",
            "ExternalProjectsUrl",
            "draft",
            "meetings",
            "founded",
        }
    )
    ignored_keys = frozenset(
        {"markerposition", "showsignup", "hero", "projectsorder", "h4c", "schedule", "lab", "image"}
    )
    priority = 10

    def matches(self, front_matter):
        return "city" in front_matter or "lat" in front_matter

    def is_draft(self, document):
        """Labs hidden on the old site (hide: true) are imported as drafts."""
        return super().is_draft(document) or document.front_matter.get("hide") is True

    def fields(self, document, context):
        data = document.front_matter
        city = str(data.get("city") or document.slug_from_filename.title())
        bundesland, lat, long = place_for(
            city, to_float(data.get("lat")), to_float(data.get("long")), context.report
        )
        if bundesland is None:
            raise ImportFileError(
                document.path, 2, f"no coordinates and {city!r} is not a known city"
            )
        fields = {
            "city": city,
            "bundesland": bundesland,
            "lat": lat,
            "long": long,
            "inactive": bool(data.get("inactive")),
            "body": context.body_blocks(document, f"Lab: {city}"),
        }
        # A key the document does not have leaves the field as it is: re-importing an old
        # site's file must not erase meetings or contacts an editor has added since.
        optional = {
            "image": lambda: context.images.image(data["image"], f"OK Lab {city}", f"Lab: {city}"),
            "aliases": lambda: ", ".join(str(alias) for alias in as_list(data["aliases"])),
            "members": lambda: self.members(data, context),
            "meetings": lambda: [meeting_block(meeting) for meeting in as_list(data["meetings"])],
            "founded": lambda: int(data["founded"]) if str(data["founded"]).isdigit() else None,
            "leads": lambda: [
                lead_block(lead)
                for lead in as_list(data["leads"])
                if isinstance(lead, dict) and lead.get("name")
            ],
        }
        field_names = {"image": "logo", "aliases": "url_aliases", "founded": "founding_year"}
        for key, value in optional.items():
            if key in data:
                fields[field_names.get(key, key)] = value()
        if {"links", "feeds", "ExternalProjectsUrl"} & set(data):
            fields["links"] = self.links(data, context)
        return fields

    def members(self, data, context):
        members = []
        for member in as_list(data.get("members")):
            if not isinstance(member, dict) or not member.get("name"):
                continue
            for key in sorted(set(member) - {"name", "username_github"}):
                context.report.warn("member-key-dropped", f"member field {key!r} not imported", 2)
            github = str(member.get("username_github") or "").strip().lstrip("@")
            members.append(("member", {"name": str(member["name"]).strip(), "github": github}))
        return members

    def links(self, data, context):

        links = []
        for link in as_list(data.get("links")):
            if isinstance(link, dict) and link.get("url"):
                name, url = str(link.get("name") or ""), str(link["url"]).strip()
                kind = link_kind(name, url)
                label = "" if name.lower() == str(kind.label).lower() else name
                links.append(("link", {"kind": kind, "url": url, "label": label}))
        for feed in as_list(data.get("feeds")):
            if isinstance(feed, dict) and feed.get("url"):
                label = "Kalender (iCal)" if feed.get("type") == "ical" else "Feed (RSS)"
                links.append(
                    ("link", {"kind": LinkKind.OTHER, "url": str(feed["url"]), "label": label})
                )
        if data.get("ExternalProjectsUrl"):
            links.append(
                (
                    "link",
                    {
                        "kind": LinkKind.OTHER,
                        "url": str(data["ExternalProjectsUrl"]),
                        "label": "Projekte",
                    },
                )
            )
        return links


def meeting_block(meeting):
    """A meeting from front matter: rhythm, weekday (0 = Monday), start, end, place, notes."""
    value = {
        "rhythm": str(meeting.get("rhythm", "weekly")),
        "weekday": str(meeting.get("weekday", "")),
        "interval_weeks": meeting.get("interval_weeks"),
        "first_date": meeting.get("first_date"),
        "week_of_month": str(meeting.get("week_of_month", "")),
        "start_time": as_time(meeting.get("start")),
        "end_time": as_time(meeting.get("end")),
    }
    for key in ("venue_name", "street", "postcode", "city", "notes"):
        value[key] = str(meeting.get(key, ""))
    return ("meeting", value)


def as_time(value):
    """18:00 as a time; YAML 1.1 reads an unquoted 18:00 as the number 1080 (minutes)."""
    if isinstance(value, datetime.time) or value is None:
        return value
    if isinstance(value, int):
        return datetime.time(*divmod(value, 60))
    return datetime.time.fromisoformat(str(value))


def lead_block(lead):
    url = str(lead.get("url") or "").strip()
    email = url.removeprefix("mailto:") if url.startswith("mailto:") else ""
    return (
        "contact",
        {
            "name": str(lead["name"]).strip(),
            "role": str(lead.get("role") or ""),
            "email": email,
            "url": "" if email else url,
        },
    )


def to_float(value):
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


register(LabMapping())
