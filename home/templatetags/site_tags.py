"""Template tags every page uses: menu, footer, e-mail links that harvesters do not read."""

import html
import re

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Locale, Site
from wagtail.templatetags.wagtailcore_tags import richtext

from home import lookups
from home.caching import per_generation
from home.models import FooterText, SiteSettings

register = template.Library()


def request_locale(request, page=None):
    """The visitor's locale, looked up once per request (from the page when it has it)."""
    if not hasattr(request, "_active_locale"):
        if page is not None and page.locale.language_code == get_language():
            request._active_locale = page.locale
        else:
            request._active_locale = Locale.get_active()
    return request._active_locale


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site root's children of the visitor's language that are marked "show in menus".

    The items are looked up once per publish (home.caching.per_generation), not per request.
    """
    request = context["request"]
    site = Site.find_for_request(request)
    locale = request_locale(request, context.get("page"))

    def build():
        if site is None:
            return []
        root = site.root_page
        if root.locale_id != locale.pk:
            translated = root.get_translation_or_none(locale)
            if translated is not None and translated.alias_of_id is None:
                root = translated
        items = root.get_children().live().public().in_menu().defer_streamfields()
        return [
            {"path": item.path, "url": item.get_url(request), "title": item.title} for item in items
        ]

    site_id = site.pk if site else 0
    items = per_generation(f"menu:{site_id}:{locale.pk}", build)
    current_path = getattr(context.get("page"), "path", "")
    return {
        "request": request,
        "menu_items": [(item, current_path.startswith(item["path"])) for item in items],
    }


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer, rendered once per publish and language (home.caching.per_generation)."""
    request = context["request"]
    locale = request_locale(request, context.get("page"))
    site = Site.find_for_request(request)

    def build():
        site_settings = SiteSettings.for_request(request)
        legal_pages = [
            page.get_translation_or_none(locale) or page
            for page in (site_settings.imprint_page, site_settings.privacy_page)
            if page is not None and page.live
        ]
        return render_to_string(
            "includes/footer.html",
            {
                "site_settings": site_settings,
                "footer_text": FooterText.for_locale(locale),
                "legal_pages": legal_pages,
            },
            request=request,
        )

    site_id = site.pk if site else 0
    return mark_safe(per_generation(f"footer:{site_id}:{locale.pk}:{get_language()}", build))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_link(context, page_id):
    """{"url", "title"} of the chosen page in the visitor's language (home.lookups.page_link)."""
    return lookups.page_link(page_id, context["request"])


def entity_encode(text):
    return "".join(f"&#{ord(character)};" for character in text)


@register.simple_tag
def email_link(address, label=None):
    """A mailto link written as HTML character references.

    Browsers decode them, so the link works without JavaScript; simple harvesters that look
    for "name@domain" in the page source do not find it.
    """
    if not address:
        return ""
    shown = label or address
    return format_html(
        '<a href="{}">{}</a>',
        mark_safe(entity_encode("mailto:" + address)),  # noqa: S308  (only character references)
        mark_safe(entity_encode(shown)),  # noqa: S308
    )


# A link attribute whose value, once entities and blanks are taken out, starts with a scheme that
# runs code or carries a document of its own; and any event-handler attribute.
UNSAFE_ATTRIBUTE = re.compile(
    r"""\s(?P<name>[a-z:-]+)\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE
)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset"}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def _without_unsafe_attribute(match):
    name = match["name"].lower()
    if name.startswith("on"):
        return ""
    if name in URL_ATTRIBUTES:
        value = html.unescape(match["value"].strip("\"'"))
        if re.sub(r"[\x00-\x20]", "", value).lower().startswith(UNSAFE_SCHEMES):
            return ""
    return match[0]


def _clean_tag(match):
    return UNSAFE_ATTRIBUTE.sub(_without_unsafe_attribute, match[0])


@register.filter
def safe_richtext(value):
    """Wagtail's |richtext, without javascript:/data: links and event handlers.

    Wagtail leaves a stored <a href="javascript:…"> alone (its editor never writes one, but an
    import, a script or a database edit can): GHSA-wq5h-f9p5-q7fx's class of bug.
    """
    rendered = str(richtext(value))
    return mark_safe(re.sub(r"<[a-zA-Z][^>]*>", _clean_tag, rendered))  # noqa: S308
