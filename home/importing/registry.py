"""The page types the importer knows. Each app registers mappings for its own page types.

home may not import labs or network (imports point one way), so those apps register their
mappings from AppConfig.ready(), and the importer looks them up here.
"""

from home.text import german_slugify

_mappings = {}


class PageMapping:
    """How one kind of document becomes one page type. Subclasses fill in the details."""

    kind = ""
    model = None
    # Front-matter keys this mapping reads into fields.
    known_keys = frozenset({"title"})
    # Keys of the old site's presentation (layout, marker position …): not imported, reported.
    ignored_keys = frozenset()
    # The order in which `--type auto` tries mappings: lower first.
    priority = 100

    def matches(self, front_matter):
        """For `--type auto`: does this document look like this kind?"""
        return False

    def slug(self, document):
        source = document.front_matter.get("slug") or document.slug_from_filename
        return german_slugify(source)[:255]

    def is_draft(self, document):
        return str(document.front_matter.get("draft", "")).lower() in {"true", "1", "yes"}

    def parent(self, document, context, default_parent):
        """Where the page goes; projects and posts of a lab go below the lab."""
        return default_parent

    def fields(self, document, context):
        """Model field values (besides title and slug) from the document."""
        return {}

    def relations(self, page, document, context):
        """Many-to-many relations, set on the page before its revision is saved."""


def register(mapping):
    _mappings[mapping.kind] = mapping
    return mapping


def mapping_for_kind(kind):
    return _mappings[kind]


def kinds():
    return sorted(_mappings)


def detect(front_matter):
    """The mapping `--type auto` chooses: the first (by priority) whose `matches` is true."""
    for mapping in sorted(_mappings.values(), key=lambda mapping: mapping.priority):
        if mapping.matches(front_matter):
            return mapping
    return _mappings["content"]
