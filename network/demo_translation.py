"""English for the demo: wagtail-localize translations filled from a PO file of the demo's texts.

The same records an editor makes in the translation editor (TranslationSource, Translation,
StringTranslation), so the demo's English pages sync like any other translation.
"""

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from home.models import FooterText
from network.models import Topic


class MissingDemoTranslationError(Exception):
    def __init__(self, missing):
        super().__init__(
            "home/fixtures/demo/en.po lacks English for:\n"
            + "\n".join(f"  msgid {text!r}" for text in missing)
        )
        self.missing = missing


def translate_into(locale, home_page, po):
    """Translate every German demo page and snippet that has no translation in `locale` yet.

    Pages that are translated already are left as editors made them. Returns how many objects
    were translated in this run.
    """
    english = {entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete}
    pages = (
        home_page.get_descendants(inclusive=True)
        .filter(locale=home_page.locale, alias_of__isnull=True)
        .specific()
        .order_by("path")
    )
    snippets = [
        *Topic.objects.filter(locale=home_page.locale),
        *FooterText.objects.filter(locale=home_page.locale),
    ]
    count = 0
    for instance in [*pages, *snippets]:
        if instance.has_translation(locale) and not getattr(
            instance.get_translation(locale), "alias_of_id", None
        ):
            continue
        translate_object(instance, locale, english)
        count += 1
    return count


def translate_object(instance, locale, english):
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    missing = []
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = english.get(segment.string.data)
        if text is None:
            missing.append(segment.string.data)
            continue
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    if missing:
        raise MissingDemoTranslationError(missing)
    # save_target(publish=True) would publish in an on_commit callback, with the page object of
    # that moment: a parent published after its children were added would get its stale child
    # count written back. So publish here, from the revision, while the tree is current.
    is_page = isinstance(instance, Page)
    translation.save_target(publish=not is_page)
    if is_page:
        translation.get_target_instance().latest_revision.publish()
