"""Imports a set of Markdown files: each in its own transaction, every outcome reported."""

import html
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from home.importing import registry
from home.importing.body import BodyConverter
from home.importing.document import ImportFileError, read_document, split_at_heading
from home.importing.images import ImageLibrary
from home.text import german_slugify

# Our own rich-text output (never the Markdown source): a link to a path of this site.
RELATIVE_LINK = re.compile(r'<a href="(/[^"]*)">')


class DryRunRollbackError(Exception):
    """Raised at the end of a dry run so that nothing it did is kept."""


@dataclass
class ImportContext:
    """What mappings may use while turning a document into a page."""

    report: object
    locale: object
    images: ImageLibrary
    default_parent: Page
    has_relative_links: bool = False

    def body_blocks(self, document, collection_name="Import"):
        """The document's body as blocks (the first heading is dropped if it repeats the title)."""
        converter = BodyConverter(
            self.report,
            lambda src, alt, line: self.images.image(src, alt, collection_name, line),
            title=str(document.front_matter.get("title") or ""),
            first_line=document.body_first_line,
        )
        conversion = converter.convert(document.body)
        self.has_relative_links = self.has_relative_links or bool(conversion.relative_links)
        return conversion.blocks


class MarkdownImporter:
    def __init__(self, parent, report, locale, kind="auto", media_root=None, dry_run=False,
                 progress=None, split_at=None, update_existing=True):  # fmt: skip
        """`split_at`: a heading at which each file is cut in two, the rest becoming a content
        page of its own; `update_existing=False` leaves pages that exist untouched."""
        self.parent = parent
        self.split_at = split_at
        self.update_existing = update_existing
        self.report = report
        self.locale = locale
        self.kind = kind
        self.dry_run = dry_run
        self.progress = progress or (lambda line: None)
        self.images = ImageLibrary(media_root, report, dry_run=dry_run)
        self.pages_with_links = {}
        self.imported_from = {}

    @staticmethod
    def markdown_files(paths):
        files = []
        for path in map(Path, paths):
            files.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
        return files

    def run(self, paths):
        files = self.markdown_files(paths)
        try:
            with transaction.atomic():
                for number, path in enumerate(files, start=1):
                    self.import_file(path)
                    self.progress(f"[{number}/{len(files)}] {path}: {self.outcome_of(path)}")
                self.resolve_relative_links()
                if self.dry_run:
                    raise DryRunRollbackError
        except DryRunRollbackError:
            pass
        return self.report

    def outcome_of(self, path):
        for label, entries in (
            ("created", self.report.created),
            ("updated", self.report.updated),
            ("skipped", self.report.skipped),
        ):
            if entries and entries[-1][0] == str(path):
                return label
        if self.report.failed and self.report.failed[-1].path == str(path):
            failure = self.report.failed[-1]
            return f"FAILED at line {failure.line}: {failure.message}"
        return "?"

    def import_file(self, path):
        self.report.current_path = str(path)
        if path.name == "_index.md":
            self.report.skip(path, "a section index of the old site (lists are built here)")
            return
        try:
            with transaction.atomic():
                document = read_document(path)
                if self.split_at and self.split_at in document.body:
                    document, rest = split_at_heading(document, self.split_at)
                    self.import_document(rest, mapping=registry.mapping_for_kind("content"))
                self.import_document(document)
        except ImportFileError as error:
            self.report.fail(error.path, error.line, error.reason)
            self.images.forget_file_images(delete_files=not self.dry_run)
        except ValidationError as error:
            self.report.fail(path, 0, "; ".join(error.messages))
            self.images.forget_file_images(delete_files=not self.dry_run)
        else:
            self.images.forget_file_images(delete_files=False)

    def mapping(self, document):
        if self.kind == "auto":
            return registry.detect(document.front_matter)
        return registry.mapping_for_kind(self.kind)

    def import_document(self, document, mapping=None, parent=None):
        """Create or update the page for one document; return it."""
        mapping = mapping or self.mapping(document)
        title = str(document.front_matter.get("title") or "").strip()
        if not title:
            raise ImportFileError(document.path, 2, "no title in the front matter")
        self.report_keys(document, mapping)
        context = ImportContext(self.report, self.locale, self.images, parent or self.parent)
        parent = mapping.parent(document, context, parent or self.parent)
        slug = self.free_slug(mapping, parent, document)
        page = mapping.model.objects.child_of(parent).filter(slug=slug, locale=self.locale).first()
        if page is not None and not self.update_existing:
            self.report.unchanged.append((str(document.path), page.pk))
            return page

        if page is not None and page.pk in self.imported_from:
            other = self.imported_from[page.pk]
            raise ImportFileError(
                document.path, 1, f"makes the same page ({slug}) as {other}; rename one of them"
            )
        fields = mapping.fields(document, context)
        created = page is None
        if created:
            page = mapping.model(title=title, slug=slug, locale=self.locale, **fields)
            page.live = False
            parent.add_child(instance=page)
        else:
            page.title = title
            for name, value in fields.items():
                setattr(page, name, value)
        mapping.relations(page, document, context)
        page.full_clean()
        revision = page.save_revision(clean=False)
        if not mapping.is_draft(document):
            revision.publish()
        elif page.live:
            page.unpublish()
        self.imported_from[page.pk] = document.path
        entry = (str(document.path), page.pk)
        (self.report.created if created else self.report.updated).append(entry)
        if context.has_relative_links:
            self.pages_with_links[page.pk] = document.path
        return page

    def free_slug(self, mapping, parent, document):
        """The document's slug, or slug-<kind> when a page of another type below the same parent
        already has it (a lab's project and post with the same file name)."""
        slug = mapping.slug(document)
        if not slug:
            raise ImportFileError(document.path, 2, "no slug can be made from the file name")
        taken = (
            parent.get_children()
            .filter(slug=slug)
            .exclude(content_type__model=mapping.model._meta.model_name)
        )
        return f"{slug}-{mapping.kind}"[:255] if taken.exists() else slug

    def report_keys(self, document, mapping):

        for key in document.front_matter:
            if key in mapping.ignored_keys:
                self.report.warn("ignored-key", f"{key!r} is a layout setting of the old site", 2)
            elif key not in mapping.known_keys:
                self.report.warn("unknown-key", f"unknown key {key!r} not imported", 2)

    def resolve_relative_links(self):
        """Links such as /mitmachen/ or /labs/berlin become page links once all files are in."""
        for page_id, path in self.pages_with_links.items():
            page = Page.objects.get(pk=page_id).specific
            self.report.current_path = str(path)
            changed = False
            for block in page.body:
                if block.block_type != "paragraph":
                    continue
                source = block.value.source
                rewritten = RELATIVE_LINK.sub(partial(self.page_link, page=page), source)
                if rewritten != source:
                    block.value = type(block.value)(rewritten)
                    changed = True
            if changed:
                page.save(update_fields=["body"])
                revision = page.latest_revision
                revision.content["body"] = page.body.get_prep_value()
                revision.save(update_fields=["content"])

    def page_link(self, match, *, page):
        href = html.unescape(match.group(1))
        target = self.find_page(href, page)
        if target is None:
            self.report.warn("unresolved-link", f"no page for the relative link {href}")
            return match.group(0)
        return f'<a linktype="page" id="{target.pk}">'

    def find_page(self, href, page):
        """The page a path of the old site meant: by URL, by short address, or by slug."""
        path = "/" + href.split("#")[0].split("?")[0].strip("/")
        site_root = page.get_site().root_page if page.get_site() else None
        if site_root is not None:
            by_url = Page.objects.filter(url_path=site_root.url_path + path.strip("/") + "/")
            if path == "/":
                return site_root
            if (found := by_url.filter(locale=page.locale_id).first()) is not None:
                return found
        redirect = Redirect.objects.filter(old_path=Redirect.normalise_path(path)).first()
        if redirect is not None and redirect.redirect_page_id:
            return redirect.redirect_page
        last_segment = path.rstrip("/").rsplit("/", 1)[-1]
        undated = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", last_segment)
        for slug in (german_slugify(last_segment), german_slugify(undated)):
            found = Page.objects.filter(slug=slug, locale=page.locale_id).order_by("depth").first()
            if slug and found is not None:
                return found
        return None
