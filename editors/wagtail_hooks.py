"""The translation status report in the admin's Reports menu."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permissions import policy_registry

from editors.reports import TranslationStatusView


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    return [
        path(
            "reports/translation-status/",
            TranslationStatusView.as_view(),
            name="editors_translation_status",
        ),
        path(
            "reports/translation-status/results/",
            TranslationStatusView.as_view(results_only=True),
            name="editors_translation_status_results",
        ),
    ]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("editors_translation_status"),
        name="translation-status",
        icon_name="site",
        order=650,
    )


RESTART_WARNING = {
    "de": (
        "Achtung: Die Übersetzung wird wieder synchronisiert. Beim nächsten Synchronisieren oder "
        "Veröffentlichen im Übersetzungseditor ersetzen dessen Texte alles, was seit dem Anhalten "
        "direkt auf dieser Seite geändert wurde. Übernimm solche Änderungen vorher in den "
        "Übersetzungseditor."
    ),
    "en": (
        "Careful: this translation is synced again. The next sync, or publishing from the "
        "translation editor, replaces everything changed directly on this page since the "
        "translation was stopped with the editor's texts. Copy such changes into the "
        "translation editor first."
    ),
}


@hooks.register("before_edit_page", order=-10)
def warn_before_restarting_a_stopped_translation(request, page):
    """Warn that "Start Synced translation" brings back the translation editor's texts.

    While a translation was stopped, editors may have changed the English page by hand; once sync
    runs again, the next sync or publish from the translation editor writes the segments' texts
    over those changes (wagtail-localize #876). wagtail-localize does not say so; this does.
    """
    if request.method != "POST" or "localize-restart-translation" not in request.POST:
        return
    from wagtail_localize.models import Translation

    stopped = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=False
    ).exists()
    if stopped:
        language = "en" if (get_language() or "").startswith("en") else "de"
        messages.warning(request, RESTART_WARNING[language])


STALE_SAVE_WARNING = {
    "de": (
        "Diese Seite wurde inzwischen von jemand anderem gespeichert. Deine Fassung ist jetzt die "
        "neueste; die andere steht im Verlauf der Seite (Versionen vergleichen)."
    ),
    "en": (
        "Someone else saved this page while you were editing it. Your version is now the newest; "
        "theirs is in the page's history (compare the revisions)."
    ),
}


@hooks.register("before_edit_page", order=-10)
def warn_when_saving_over_a_newer_revision(request, page):
    """Wagtail saves a form loaded from an older revision as the newest; say so to the editor.

    Nothing is lost (both revisions stay in the history), but without this the second editor
    would not know that the first editor's change was replaced.
    """
    if request.method != "POST" or not request.accepts("text/html"):
        return
    loaded = request.POST.get("loaded_revision_id")
    if loaded and page.latest_revision_id and loaded != str(page.latest_revision_id):
        language = "en" if (get_language() or "").startswith("en") else "de"
        messages.warning(request, STALE_SAVE_WARNING[language])
