"""Template tags every page uses: menu, footer, e-mail links that harvesters do not read."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Locale, Site

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
    """The site root's children of the visitor's language that are marked "show in menus"."""
    request = context["request"]
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        root = site.root_page
        locale = request_locale(request, context.get("page"))
        if root.locale_id != locale.pk:
            translated = root.get_translation_or_none(locale)
            if translated is not None and translated.alias_of_id is None:
                root = translated
        items = root.get_children().live().public().in_menu().defer_streamfields()
    current = context.get("page")
    current_path = getattr(current, "path", "")
    return {
        "request": request,
        "menu_items": [(item, current_path.startswith(item.path)) for item in items],
    }


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    request = context["request"]
    site_settings = SiteSettings.for_request(request)
    locale = request_locale(request, context.get("page"))
    legal_pages = [
        page.get_translation_or_none(locale) or page
        for page in (site_settings.imprint_page, site_settings.privacy_page)
        if page is not None and page.live
    ]
    return {
        "request": request,
        "site_settings": site_settings,
        "footer_text": FooterText.for_locale(locale),
        "legal_pages": legal_pages,
    }


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
