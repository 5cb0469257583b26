"""The translation status report: every German page and the state of its English page.

The states come from one query: each German page is annotated (by subqueries on its translation
key) with its English page and the wagtail-localize TranslationSource it was translated from, and
the state is a CASE over those columns, so the report filters and paginates in the database and
its number of queries does not grow with the number of pages. The translation progress of the
pages shown is one more aggregate query.
"""

import django_filters
from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from labs.models import LabPage

TARGET_LANGUAGE = "en"


class TranslationState(models.TextChoices):
    MISSING = "missing", _("Missing")
    ALIAS = "alias", _("Alias, not translated")
    UP_TO_DATE = "up-to-date", _("Up to date")
    BEHIND = "behind", _("Behind the German page")


def with_translation_state(pages, target_locale):
    """`pages` annotated with their translation into `target_locale` and its state.

    - missing: no page in the target locale;
    - alias: the page there is an alias of the German page (still German text);
    - behind: the German page was published after its TranslationSource was last synced (or,
      for a translation made without wagtail-localize, after the translation was last published);
    - up to date: otherwise.
    """
    translations = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale=target_locale
    )
    sources = TranslationSource.objects.filter(
        object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
    )
    return pages.annotate(
        translation_id=Subquery(translations.values("pk")[:1]),
        translation_alias_of=Subquery(translations.values("alias_of_id")[:1]),
        translation_live=Subquery(translations.values("live")[:1]),
        translation_changed_at=Subquery(
            translations.annotate(
                changed_at=Coalesce("last_published_at", "latest_revision_created_at")
            ).values("changed_at")[:1]
        ),
        source_id=Subquery(sources.values("pk")[:1]),
        source_synced_at=Subquery(sources.values("last_updated_at")[:1]),
    ).annotate(
        translation_state=Case(
            When(translation_id__isnull=True, then=Value(TranslationState.MISSING)),
            When(translation_alias_of__isnull=False, then=Value(TranslationState.ALIAS)),
            When(
                source_synced_at__isnull=False,
                last_published_at__gt=F("source_synced_at"),
                then=Value(TranslationState.BEHIND),
            ),
            When(
                source_synced_at__isnull=True,
                last_published_at__gt=F("translation_changed_at"),
                then=Value(TranslationState.BEHIND),
            ),
            default=Value(TranslationState.UP_TO_DATE),
            output_field=models.CharField(),
        )
    )


def translation_progress(source_ids, target_locale):
    """{source id: (texts, translated texts)} for wagtail-localize's sources, in one query."""
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale=target_locale,
        has_error=False,
    )
    rows = (
        StringSegment.objects.filter(source_id__in=source_ids)
        .annotate(is_translated=Exists(translated))
        .values("source_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(is_translated=True)))
    )
    return {row["source_id"]: (row["total"], row["done"]) for row in rows}


def lab_choices():
    return list(
        LabPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("title")
        .values_list("pk", "title")
    )


class TranslationStatusFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("English"),
        field_name="translation_state",
        choices=TranslationState.choices,
        empty_label=_("Any state"),
    )
    lab = django_filters.ChoiceFilter(
        label=_("Lab"),
        choices=lab_choices,
        empty_label=_("All pages"),
        method="filter_lab",
    )

    class Meta:
        model = Page
        fields = []

    def filter_lab(self, queryset, name, value):
        lab = LabPage.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=lab) if lab else queryset


class TranslationStatusView(PageReportView):
    page_title = _("Translation status")
    header_icon = "site"
    template_name = "editors/reports/translation_status.html"
    results_template_name = "editors/reports/translation_status_results.html"
    index_url_name = "editors_translation_status"
    index_results_url_name = "editors_translation_status_results"
    filterset_class = TranslationStatusFilterSet
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 100
    list_export = [
        "title",
        "content_type.model_class._meta.verbose_name.title",
        "status_string",
        "translation_state_label",
    ]
    export_headings = {
        **PageReportView.export_headings,
        "title": _("German page"),
        "translation_state_label": _("English page"),
    }

    def get_filename(self):
        return "translation-status"

    def get_queryset(self):
        """The German pages the user may edit, in tree order, each with its English state."""
        self.target_locale = Locale.objects.filter(language_code=TARGET_LANGUAGE).first()
        pages = (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(locale__language_code=settings.LANGUAGE_CODE, depth__gt=1)
            .select_related("content_type")
            .annotate_approved_schedule()
            .prefetch_workflow_states()
            .order_by("path")
        )
        if self.target_locale is None:
            self.queryset = pages.annotate(
                translation_state=Value(TranslationState.MISSING, output_field=models.CharField())
            )
        else:
            self.queryset = with_translation_state(pages, self.target_locale)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        source_ids = [page.source_id for page in pages if getattr(page, "source_id", None)]
        progress = translation_progress(source_ids, self.target_locale) if source_ids else {}
        labels = dict(TranslationState.choices)
        for page in pages:
            page.translation_state_label = labels[page.translation_state]
            page.translation_progress = progress.get(getattr(page, "source_id", None))
        return pages

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["can_translate"] = self.request.user.has_perm("wagtail_localize.submit_translation")
        context["states"] = TranslationState
        return context
