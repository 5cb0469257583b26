"""The importer's mappings for projects and blog posts of the network's Hugo site.

A project or post that names a lab is created below that lab (so the lab's editors own it) and
related to the other labs it names; tags become topics of the network's vocabulary.
"""

import datetime

from django.utils.html import strip_tags
from django.utils.text import slugify

from home.blocks import ProjectStatus
from home.importing.registry import PageMapping, register
from home.text import german_slugify
from labs.models import LabPage
from network.blocks import ProjectLinkKind
from network.models import NewsCategory, NewsPage, ProjectPage, Topic

# Words in the old sites' free-text status, checked in this order.
STATUS_WORDS = [
    (ProjectStatus.SEEKING_CONTRIBUTORS, ("sucht", "looking for")),
    (ProjectStatus.FINISHED, ("abgeschlossen", "finished", "fertig", "done", "released")),
    (ProjectStatus.ARCHIVED, ("discontinued", "dead", "verwaist", "festgefahren", "eingestellt")),
    (ProjectStatus.IN_DEVELOPMENT, ("entwicklung", "prototyp", "konzept", "machbarkeit", "test")),
    (
        ProjectStatus.ACTIVE,
        ("laufend", "progress", "arbeit", "active", "produktiv", "aktualisiert"),
    ),
    (ProjectStatus.IDEA, ("idee", "idea")),
]
CATEGORIES = {
    "community": NewsCategory.COMMUNITY,
    "event": NewsCategory.EVENT_REPORT,
    "story": NewsCategory.STORY,
    "project": NewsCategory.PROJECT,
    "toolbox": NewsCategory.TOOLBOX,
    "interview": NewsCategory.INTERVIEW,
}
SUMMARY_LENGTH = 400


def status_from_text(text, report):
    if text in (None, ""):
        return ProjectStatus.ACTIVE
    lowered = str(text).lower()
    for status, words in STATUS_WORDS:
        if any(word in lowered for word in words):
            return status
    report.warn("status-unknown", f"status {text!r} not recognised; set to active", 2)
    return ProjectStatus.ACTIVE


def as_list(value):
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def summary_from(blocks, fallback=""):
    """The first paragraph's text, shortened, for documents without an excerpt."""
    for block_type, value in blocks:
        if block_type == "paragraph":
            text = " ".join(strip_tags(value).split())
            if text:
                return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"
    return fallback


def named_labs(document):
    """The German lab pages named in the `lab` key, in order."""
    slugs = [slugify(str(slug)) for slug in as_list(document.front_matter.get("lab"))]
    labs = {
        lab.slug: lab for lab in LabPage.objects.filter(slug__in=slugs, locale__language_code="de")
    }
    return [labs[slug] for slug in slugs if slug in labs]


def topics_for(tags, locale, report):
    topics = []
    for tag in as_list(tags):
        name = str(tag).strip()
        slug = slugify(name)
        if not slug:
            continue
        topic = Topic.objects.filter(slug=slug, locale=locale).first()
        if topic is None:
            topic = Topic.objects.create(name=name, slug=slug, locale=locale)
            report.note("topic-created")
        topics.append(topic)
    return topics


class LabOwnedMapping(PageMapping):
    """Documents that name labs: placed below the first named lab that exists."""

    def parent(self, document, context, default_parent):
        labs = named_labs(document)
        missing = set(map(slugify, map(str, as_list(document.front_matter.get("lab"))))) - {
            lab.slug for lab in labs
        }
        for slug in sorted(missing):
            context.report.warn("lab-not-found", f"no lab {slug!r}; not related", 2)
        return labs[0] if labs else default_parent

    def relations(self, page, document, context):
        page.labs = named_labs(document)[1:]
        page.topics = topics_for(document.front_matter.get("tags"), context.locale, context.report)


class ProjectMapping(LabOwnedMapping):
    kind = "project"
    model = ProjectPage
    known_keys = frozenset(
        {
            "title",
            "lab",
            "imgname",
            "status",
            "links",
            "collaborators",
            "colaborators",
            "tags",
            "showcase",
            "draft",
            "excerpt",
            "website",
        }  # fmt: skip
    )
    ignored_keys = frozenset({"layout", "name", "outputs"})
    priority = 20

    def matches(self, front_matter):
        return front_matter.get("layout") == "project" or (
            "lab" in front_matter and ("status" in front_matter or "imgname" in front_matter)
        )

    def fields(self, document, context):
        data = document.front_matter
        blocks = context.body_blocks(document, "Projekte")
        image = context.images.image(
            data.get("imgname"), str(data.get("title")), "Projekte", subfolders=["projekte", "img"]
        )
        summary = str(data.get("excerpt") or "") or summary_from(blocks, str(data["title"]))
        return {
            "summary": summary[:SUMMARY_LENGTH],
            "image": image,
            "image_alt_text": str(data.get("title"))[:250] if image else "",
            "status": status_from_text(data.get("status"), context.report),
            "showcase": data.get("showcase") is True,
            "start_date": document.date_from_filename,
            "links": self.links(data),
            "collaborators": [
                ("collaborator", {"name": str(person["name"]).strip(), "url": first_url(person)})
                for person in as_list(data.get("collaborators") or data.get("colaborators"))
                if isinstance(person, dict) and person.get("name")
            ],
            "body": blocks,
        }

    @staticmethod
    def links(data):
        links = []
        entries = [entry for entry in as_list(data.get("links")) if isinstance(entry, dict)]
        if data.get("website"):
            entries.append({"name": "Website", "url": data["website"]})
        for entry in entries:
            if not entry.get("url"):
                continue
            text = f"{entry.get('name', '')} {entry['url']}".lower()
            if any(word in text for word in ("github", "gitlab", "code", "codeberg", "repo")):
                kind = ProjectLinkKind.CODE
            elif any(word in text for word in ("daten", "data", "api")):
                kind = ProjectLinkKind.DATA
            elif "demo" in text:
                kind = ProjectLinkKind.DEMO
            else:
                kind = ProjectLinkKind.WEBSITE
            link = {
                "kind": kind,
                "url": str(entry["url"]).strip(),
                "label": str(entry.get("name") or ""),
            }
            links.append(("link", link))
        return links


def first_url(person):
    links = [link for link in as_list(person.get("links")) if isinstance(link, dict)]
    return str(links[0].get("url") or "") if links else ""


class NewsMapping(LabOwnedMapping):
    kind = "news"
    model = NewsPage
    known_keys = frozenset(
        {
            "title",
            "type",
            "author",
            "excerpt",
            "topic",
            "lab",
            "Lab",
            "tags",
            "images",
            "draft",
            "date",
            "published",
        }  # fmt: skip
    )
    ignored_keys = frozenset(
        {
            "og_image",
            "og-image",
            "og_description",
            "og-description",
            "twitter_handle",
            "color",
            "pattern",
            "layout",
            "lang",
            "subtitle",
            "sub",
            "embed",
        }  # fmt: skip
    )
    priority = 15

    def matches(self, front_matter):
        return front_matter.get("type") == "blog"

    def slug(self, document):
        """Posts keep their date in the slug, as their old addresses did: 2014-10-06-codeweek-eu."""
        return german_slugify(document.front_matter.get("slug") or document.path.stem)[:255]

    def is_draft(self, document):
        return super().is_draft(document) or document.front_matter.get("published") is False

    def fields(self, document, context):
        data = document.front_matter
        blocks = context.body_blocks(document, "Neuigkeiten")
        images = [entry for entry in as_list(data.get("images")) if isinstance(entry, dict)]
        image = None
        if images:
            image = context.images.image(
                images[0].get("imgname"), str(data["title"]), "Neuigkeiten", subfolders=["blog"]
            )
        topic = str(data.get("topic") or "").split(",")[0].strip().lower()
        if topic and topic not in CATEGORIES:
            context.report.warn("category-unknown", f"topic {topic!r} set to community", 2)
        return {
            "date": post_date(data.get("date"), document),
            "author": str(data.get("author") or "")[:120],
            "excerpt": (str(data.get("excerpt") or "") or summary_from(blocks, str(data["title"])))[
                :SUMMARY_LENGTH
            ],
            "category": CATEGORIES.get(topic, NewsCategory.COMMUNITY),
            "image": image,
            "image_alt_text": str(data["title"])[:250] if image else "",
            "body": blocks,
        }


def post_date(value, document):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return document.date_from_filename or datetime.date.today()


register(ProjectMapping())
register(NewsMapping())
