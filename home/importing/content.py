"""Documents without a more specific kind become content pages."""

from home.importing.registry import PageMapping, register
from home.models import ContentPage


class ContentPageMapping(PageMapping):
    kind = "content"
    model = ContentPage
    known_keys = frozenset({"title", "description", "draft", "slug"})
    ignored_keys = frozenset({"include_footer", "navOrder", "layout", "weight", "menu", "image"})
    priority = 1000

    def matches(self, front_matter):
        return True

    def fields(self, document, context):
        return {
            "intro": str(document.front_matter.get("description") or "")[:1000],
            "body": context.body_blocks(document),
        }


register(ContentPageMapping())
