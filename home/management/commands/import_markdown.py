"""manage.py import_markdown PATH... --parent PAGE: Markdown files with front matter as pages."""

import time

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale, Page

from home.importing import registry
from home.importing.report import ImportReport
from home.importing.runner import MarkdownImporter


def find_parent(reference):
    """A page by id ("12") or by its URL path under the site root ("/ok-labs/")."""
    if str(reference).isdigit():
        page = Page.objects.filter(pk=int(reference)).first()
    else:
        path = "/" + str(reference).strip("/")
        page = next(
            (
                candidate
                for candidate in Page.objects.filter(depth__gt=1).order_by("depth", "path")
                if candidate.url_path.rstrip("/").endswith(path.rstrip("/") or "/")
                or (path == "/" and candidate.depth == 2)
            ),
            None,
        )
    if page is None:
        raise CommandError(f"No page {reference!r}: give a page id or a path such as /ok-labs/.")
    return page.specific


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter (a Hugo site) as pages below --parent. "
        "Each file is imported in its own transaction; a re-import updates the same pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders to search for *.md")
        parser.add_argument("--parent", required=True, help="Page id or path, e.g. /ok-labs/")
        parser.add_argument(
            "--type", dest="kind", default="auto", choices=["auto", *registry.kinds()]
        )
        parser.add_argument("--locale", default="de", help="Language of the documents")
        parser.add_argument("--media-root", help="Folder where the documents' images are")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing")
        parser.add_argument(
            "--split-at",
            metavar="HEADING",
            help="Cut each file at this heading; the rest becomes a content page of its own",
        )

    def handle(self, *args, paths, parent, kind, locale, media_root, dry_run, split_at, **options):
        locale_object = Locale.objects.filter(language_code=locale).first()
        if locale_object is None:
            raise CommandError(
                f"No locale {locale!r}; the site has: {
                    ', '.join(Locale.objects.values_list('language_code', flat=True))
                }"
            )
        started = time.monotonic()
        report = ImportReport()
        importer = MarkdownImporter(
            find_parent(parent),
            report,
            locale_object,
            kind=kind,
            media_root=media_root,
            dry_run=dry_run,
            split_at=split_at,
            progress=self.stdout.write,
        )
        importer.run(paths)
        self.print_summary(report, time.monotonic() - started, dry_run)
        if not report.ok:
            raise CommandError(f"{len(report.failed)} file(s) failed; see above.")

    def print_summary(self, report, seconds, dry_run):
        write = self.stdout.write
        write("")
        write("Dry run: nothing was written." if dry_run else "Import finished.")
        files = sum(map(len, (report.created, report.updated, report.skipped, report.failed)))
        write(
            f"  files: {files}  created: {len(report.created)}  updated: {len(report.updated)}  "
            f"skipped: {len(report.skipped)}  failed: {len(report.failed)}  ({seconds:.1f} s)"
        )
        for path, reason in report.skipped:
            write(f"  skipped {path}: {reason}")

        for failure in report.failed:
            write(f"  FAILED {failure.path}:{failure.line}: {failure.message}")
        by_kind = report.warnings_by_kind()
        if by_kind:
            write("  warnings by kind:")
            for kind_name, count in sorted(by_kind.items()):
                write(f"    {kind_name}: {count}")
        if report.notes:
            write("  handled: " + ", ".join(f"{k} {v}" for k, v in sorted(report.notes.items())))
        for warning in report.warnings:
            self.stderr.write(f"  {warning.kind}: {warning.path}:{warning.line}: {warning.message}")
