"""What the network's indexes share: lab relations, filters from query parameters, pagination."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail_localize.fields import TranslatableField

from labs.models import LabPage

ITEMS_PER_PAGE = 12


def related_labs_field():
    return ParentalManyToManyField(
        "labs.LabPage",
        blank=True,
        related_name="+",
        limit_choices_to={"locale__language_code": "de"},
        verbose_name=_("labs"),
        help_text=_(
            "Further labs this belongs to. A page below a lab belongs to that lab anyway; "
            "add other labs to show it on their pages too."
        ),
    )


def belonging_to(labs):
    """A filter for pages below any of `labs` or related to one of them, in any translation.

    A page created below a lab belongs to it without being listed in its `labs` relation.
    """
    keys = [lab.translation_key for lab in labs]
    if len(labs) == 1:  # a lab page or feed: its tree paths are kept per publish
        paths = [path for path, _slug in labs[0].translation_paths().values()]
    else:
        paths = LabPage.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    condition = Q(labs__translation_key__in=keys)
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


class LabRelatedMixin:
    """For pages that belong to labs: the lab they live below, and those in their `labs`."""

    @classmethod
    def for_lab(cls, lab):
        """Live pages of this type that belong to `lab` (in any of its translations)."""
        return cls.objects.live().filter(belonging_to([lab])).distinct()

    def lab_list(self):
        """The labs this page belongs to, one per lab (not one per translation)."""
        parent = self.get_parent().specific
        labs = [parent] if isinstance(parent, LabPage) else []
        seen = {lab.translation_key for lab in labs}
        for lab in self.labs.all():
            if lab.translation_key not in seen:
                seen.add(lab.translation_key)
                labs.append(lab)
        return labs


def chosen(request, name, allowed):
    """The query parameter `name` if it is one of `allowed`, else "" (invalid ones are ignored)."""
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def lab_filter_choices():
    """(slug, title) of every live German lab: lab filters use the German slug in every language."""
    return list(
        LabPage.objects.live()
        .filter(locale__language_code="de")
        .order_by("city")
        .values_list("slug", "title")
    )


def filter_by_lab(queryset, lab_slug):
    """Only what belongs to the lab with this German slug."""
    lab = LabPage.objects.filter(slug=lab_slug, locale__language_code="de").first()
    if lab is None:
        return queryset
    return queryset.filter(belonging_to([lab])).distinct()


def filter_by_bundesland(queryset, bundesland):
    """Only what belongs to a lab in this federal state."""
    labs = list(LabPage.objects.filter(bundesland=bundesland, locale__language_code="de"))
    return queryset.filter(belonging_to(labs)).distinct() if labs else queryset.none()


def paginate(request, items, per_page=ITEMS_PER_PAGE):
    """A page of `items`; an invalid or out-of-range page number gives the nearest valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request):
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class NetworkIndexPage(Page):
    """Base of the network's indexes (projects, news, events): one below the home page each."""

    intro = models.TextField(_("intro"), blank=True, help_text=_("A short text above the list."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    override_translatable_fields = [TranslatableField("intro")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True
