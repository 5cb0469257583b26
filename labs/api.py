"""The machine-readable labs and projects: /api/v1/labs.json and /api/v1/projects.json.

Version 1 of a documented format (README.md, "Machine-readable data"); the JSON Schemas are in
labs/schemas/ and served at /api/v1/schemas/. Fields may be added within a version; renaming or
removing one makes a new version with a new address.

The language is chosen with ?language=de (default) or ?language=en: texts and page addresses are
those of that language, and what is not translated comes in German (its "language" says so).
Each response takes a fixed number of queries, however many labs or projects there are.
"""

import json
from pathlib import Path

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from home.localization import in_locale_with_fallback
from labs import schedule
from labs.models import LabPage
from network.models.events import events_in, upcoming
from network.models.projects import ProjectPage
from network.models.topics import Topic

API_VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMAS = {"labs": "labs.v1.schema.json", "projects": "projects.v1.schema.json"}
EVENTS_PER_LAB = 10


class UnknownLanguageError(Exception):
    pass


def api_response(data, status=200):
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Cache-Control"] = "public, max-age=900"
    return response


def requested_locale(request):
    language = request.GET.get("language", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        raise UnknownLanguageError(
            f"Unknown language {language!r}; use one of: {', '.join(dict(settings.LANGUAGES))}."
        )
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise UnknownLanguageError(f"No content in {language!r}.")
    return language, locale


def envelope(request, name, language, items):
    return {
        "$schema": request.build_absolute_uri(f"/api/v1/schemas/{SCHEMAS[name]}"),
        "version": API_VERSION,
        "language": language,
        "generated_at": schedule.berlin_now().isoformat(timespec="seconds"),
        name: items,
    }


def all_versions(model, items):
    """{translation key: {language code: live page}} for `items`, in one query."""
    versions = {}
    pages = (
        model.objects.live()
        .filter(translation_key__in={item.translation_key for item in items})
        .filter(alias_of__isnull=True)
        .defer_streamfields()
        .select_related("locale")
    )
    for page in pages:
        versions.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return versions


def page_urls(request, versions):
    return {
        language: (versions[language].get_full_url(request) if language in versions else None)
        for language, _name in settings.LANGUAGES
    }


def iso(value):
    return value.isoformat() if value else None


def time_text(value):
    return value.strftime("%H:%M") if value else None


def occurrence_data(occurrence):
    if occurrence is None:
        return None
    return {
        "start": iso(occurrence.start),
        "end": iso(occurrence.end),
        "place": occurrence.place,
        "address": occurrence.address,
        "note": occurrence.note,
        "extra": occurrence.extra,
    }


def meeting_data(block):
    meeting = block.value
    weekday = meeting.get("weekday")
    week = meeting.get("week_of_month")
    return {
        "rhythm": meeting.get("rhythm"),
        "description": str(meeting.rhythm_text()),
        "weekday": int(weekday) if weekday not in (None, "") else None,
        "interval_weeks": meeting.get("interval_weeks") or None,
        "week_of_month": int(week) if week else None,
        "start_time": time_text(meeting.get("start_time")),
        "end_time": time_text(meeting.get("end_time")),
        "address": meeting.address(),
        "notes": meeting.get("notes") or "",
    }


def public_url(value):
    """Only web addresses: contacts' e-mail addresses are never published here."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def contact_data(block):
    contact = block.value
    return {
        "name": contact.get("name"),
        "role": contact.get("role") or "",
        "url": public_url(contact.get("url")),
    }


def link_data(block):
    link = block.value
    return {"kind": link.get("kind"), "url": link.get("url"), "label": str(link.display_label())}


def event_data(request, event, language):
    return {
        "id": str(event.translation_key),
        "title": event.title,
        "language": event.locale.language_code,
        "start": iso(timezone.localtime(event.start)),
        "end": iso(timezone.localtime(event.end)) if event.end else None,
        "all_day": event.all_day,
        "status": event.status,
        "online": event.online,
        "place": "" if event.online else event.address(),
        "url": event.get_full_url(request),
    }


def lab_paths(labs_by_key):
    """{page path: translation key} of every version of the labs, to find what lies below them."""
    return {page.path: key for key, versions in labs_by_key.items() for page in versions.values()}


def owners(page, paths, path_lengths):
    """Translation keys of the labs `page` lies below or is related to (prefetched `labs`)."""
    keys = {lab.translation_key for lab in page.labs.all()}
    for length in path_lengths:
        key = paths.get(page.path[:length])
        if key is not None and len(page.path) > length:
            keys.add(key)
    return keys


def german_slug(versions, page):
    source = versions.get(settings.LANGUAGE_CODE)
    return source.slug if source else page.slug


@require_GET
def labs_json(request):
    try:
        language, locale = requested_locale(request)
    except UnknownLanguageError as error:
        return api_response({"error": str(error)}, status=400)
    with translation.override(language):
        labs = list(
            in_locale_with_fallback(LabPage.objects.live(), locale)
            .select_related("locale")
            .order_by("city", "title")
        )
        versions = all_versions(LabPage, labs)
        paths = lab_paths(versions)
        lengths = sorted({len(path) for path in paths})
        events_by_lab = {}
        events = upcoming(events_in(locale).prefetch_related("labs"), schedule.berlin_now())
        for event in events:
            for key in owners(event, paths, lengths):
                events_by_lab.setdefault(key, []).append(event)
        items = []
        for lab in labs:
            lab_versions = versions.get(lab.translation_key, {})
            slug = german_slug(lab_versions, lab)
            items.append(
                {
                    "id": slug,
                    "name": lab.title,
                    "language": lab.locale.language_code,
                    "city": lab.city,
                    "bundesland": {"code": lab.bundesland, "name": lab.get_bundesland_display()},
                    "status": "inactive" if lab.inactive else "active",
                    "coordinates": {"lat": lab.lat, "long": lab.long},
                    "founding_year": lab.founding_year,
                    "description": lab.intro,
                    "url": lab.get_full_url(request),
                    "urls": page_urls(request, lab_versions),
                    "calendar": request.build_absolute_uri(f"/calendar/{language}/labs/{slug}.ics"),
                    "links": [link_data(block) for block in lab.links],
                    "contacts": [contact_data(block) for block in lab.leads],
                    "meetings": [meeting_data(block) for block in lab.meetings],
                    "next_meeting": occurrence_data(lab.next_meeting()),
                    "upcoming_events": [
                        event_data(request, event, language)
                        for event in events_by_lab.get(lab.translation_key, [])[:EVENTS_PER_LAB]
                    ],
                }
            )
        return api_response(envelope(request, "labs", language, items))


@require_GET
def projects_json(request):
    try:
        language, locale = requested_locale(request)
    except UnknownLanguageError as error:
        return api_response({"error": str(error)}, status=400)
    with translation.override(language):
        projects = list(
            in_locale_with_fallback(ProjectPage.objects.live(), locale)
            .defer("body", "collaborators")
            .select_related("locale")
            .prefetch_related("labs", "topics")
            .order_by("title")
        )
        versions = all_versions(ProjectPage, projects)
        labs = LabPage.objects.values_list(
            "path", "translation_key", "slug", "locale__language_code"
        )
        paths, slugs = {}, {}
        for path, key, slug, lab_language in labs:
            paths[path] = key
            if lab_language == settings.LANGUAGE_CODE:
                slugs[key] = slug
        lengths = sorted({len(path) for path in paths})
        topic_names = {
            topic.translation_key: topic.name for topic in Topic.objects.filter(locale=locale)
        }
        items = []
        for project in projects:
            lab_keys = owners(project, paths, lengths)
            items.append(
                {
                    "id": str(project.translation_key),
                    "name": project.title,
                    "language": project.locale.language_code,
                    "summary": project.summary,
                    "status": {"code": project.status, "name": project.get_status_display()},
                    "labs": sorted(slugs[key] for key in lab_keys if key in slugs),
                    "topics": [
                        {
                            "slug": topic.slug,
                            "name": topic_names.get(topic.translation_key, topic.name),
                        }
                        for topic in project.topics.all()
                    ],
                    "links": [link_data(block) for block in project.links],
                    "start_date": iso(project.start_date),
                    "showcase": project.showcase,
                    "url": project.get_full_url(request),
                    "urls": page_urls(request, versions.get(project.translation_key, {})),
                }
            )
        return api_response(envelope(request, "projects", language, items))


@require_GET
def schema_json(request, name):
    if name not in SCHEMAS.values():
        raise Http404
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    response = api_response(schema)
    response["Content-Type"] = "application/schema+json; charset=utf-8"
    return response
