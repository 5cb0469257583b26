"""manage.py load_demo_content: the demo site, built from the two source documents.

It lives in this app because it fills every page type, and network is the app that may import
all the others (network -> labs -> home). Safe to run again: pages that exist are kept as the
editors left them; missing ones are created, and the English translations are brought up to date.
"""

import datetime
from pathlib import Path

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page, Site

import home
from home.importing import registry
from home.importing.document import MarkdownDocument, read_document, split_at_heading
from home.importing.report import ImportReport
from home.importing.runner import MarkdownImporter
from home.models import FooterText, HomePage, SiteSettings
from labs.models import LabIndexPage
from network.demo_translation import translate_into
from network.models import EventIndexPage, NewsIndexPage, ProjectIndexPage

FIXTURES = Path(home.__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
DEMO = FIXTURES / "demo"
ABOUT = "Über Code for Germany"
LABS_TEXT = "Die Open Knowledge Labs"
ORIGIN = "Woher kommt die Idee zu Code for Germany? Wer steht hinter Code for Germany?"

HOME_FIELDS = {
    "title": "Code for Germany",
    "intro": (
        "Code for Germany ist das Netzwerk der OK Labs: In vielen Städten treffen sich "
        "Ehrenamtliche, um mit offenen Daten nützliche Werkzeuge für ihre Stadt zu bauen."
    ),
    "call_to_action_text": "Mitmachen",
}
INDEXES = [
    (
        LabIndexPage,
        "OK Labs",
        "ok-labs",
        "In vielen Städten treffen sich OK Labs regelmäßig. "
        "Finde das Lab in deiner Nähe und komm vorbei.",
    ),  # fmt: skip
    (ProjectIndexPage, "Projekte", "projekte", "Was die OK Labs und das Netzwerk bauen."),
    (NewsIndexPage, "Neuigkeiten", "neuigkeiten", "Berichte aus dem Netzwerk und den Labs."),
    (EventIndexPage, "Termine", "termine", "Veranstaltungen des Netzwerks und der Labs."),
]
DUESSELDORF = {
    "title": "OK Lab Düsseldorf",
    "city": "Düsseldorf",
    "lat": 51.2277,
    "long": 6.7735,
    "aliases": ["/duesseldorf"],
    "meetings": [
        {
            "rhythm": "by-arrangement",
            "notes": "Einmal im Monat; Termin und Ort stehen vorab im CodiMD-Pad.",
        }
    ],
    "links": [
        {"name": "CodiMD", "url": "https://hackmd.okfn.de/tNYYAwuISH2xJNGQdR6dCA"},
        {"name": "Open Data Portal Düsseldorf", "url": "https://opendata.duesseldorf.de"},
    ],
}
FLENSBURG = {
    "title": "OK Lab Flensburg",
    "city": "Flensburg",
    "lat": 54.7937,
    "long": 9.4470,
    "founded": 2023,
    "aliases": ["/flensburg", "/fl"],
    "meetings": [
        {
            "rhythm": "weekly",
            "weekday": 2,
            "start": datetime.time(18),
            "end": datetime.time(21),
            "venue_name": "Aktivitetshuset",
            "street": "Norderstraße 49",
            "postcode": "24939",
            "city": "Flensburg",
            "notes": "Hinterhaus",
        }
    ],
    "leads": [{"name": "Roald Christesen", "role": "Lab-Lead"}, {"name": "Kontakt Allgemein"}],
    "links": [
        {"name": "Website", "url": "https://oklabflensburg.de"},
        {"name": "Twitter", "url": "https://twitter.com/oklabflensburg"},
        {"name": "Mastodon", "url": "https://norden.social/@oklabflensburg"},
        {"name": "Facebook", "url": "https://www.facebook.com/oklabflensburg"},
        {"name": "GitHub", "url": "https://github.com/oklabflensburg"},
    ],
}
MENU_SLUGS = {
    "ueber-code-for-germany",
    "ok-labs",
    "projekte",
    "neuigkeiten",
    "termine",
    "mitmachen",
}


def joined(path, front_matter, *parts):
    """One document from Markdown parts (the parts keep their own headings)."""
    body = "\n\n".join(parts)
    return MarkdownDocument(Path(path), front_matter, body, 1)


def source_documents():
    """The demo's pages from the two source documents: (kind, parent key, document)."""
    duesseldorf = read_document(SEEDS / "ok-lab-duesseldorf.md")
    lab_text, about = split_at_heading(duesseldorf, ABOUT)
    about_text, labs = split_at_heading(about, LABS_TEXT)
    labs_text, origin = split_at_heading(labs, ORIGIN)
    flensburg = read_document(SEEDS / "ok-lab-flensburg.md")
    flensburg_text, contact_and_more = split_at_heading(flensburg, "Kontakt")
    _contact, about_us = split_at_heading(contact_and_more, "Über uns")
    path = duesseldorf.path
    return [
        (
            "content",
            "home",
            joined(
                path,
                {"title": ABOUT, "slug": "ueber-code-for-germany"},
                about_text.body,
                f"### {ORIGIN}",
                origin.body,
            ),
        ),  # fmt: skip
        (
            "content",
            "home",
            joined(path, {"title": LABS_TEXT, "slug": "die-open-knowledge-labs"}, labs_text.body),
        ),  # fmt: skip
        ("lab", "ok-labs", joined(path, {**DUESSELDORF, "slug": "duesseldorf"}, lab_text.body)),
        (
            "lab",
            "ok-labs",
            joined(
                flensburg.path,
                {**FLENSBURG, "slug": "flensburg"},
                flensburg_text.body,
                "## Über uns",
                about_us.body,
            ),
        ),  # fmt: skip
    ]


class Command(BaseCommand):
    help = "Load the demo content (German, with English translations). Keeps existing pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Also update pages that exist from the documents (as a new revision)",
        )
        parser.add_argument(
            "--corpus",
            metavar="PATH",
            help="Also import a whole Hugo site of the network (e.g. ../shared/corpus/codefor.de)",
        )

    def handle(self, *args, reload=False, corpus=None, **options):
        with transaction.atomic():
            german = Locale.objects.get_or_create(language_code="de")[0]
            english = Locale.objects.get_or_create(language_code="en")[0]
            home_page = ensure_home_page(german)
            parents = {"home": home_page}
            for model, title, slug, intro in INDEXES:
                parents[slug] = child_page(home_page, model, slug, title=title, intro=intro)
            report = ImportReport()
            importer = MarkdownImporter(home_page, report, german, update_existing=reload)
            for kind, parent, document in source_documents():
                report.current_path = str(document.path)
                mapping = registry.mapping_for_kind(kind)
                importer.import_document(document, mapping=mapping, parent=parents[parent])
            importer.run([DEMO / "pages"])
            importer.parent = parents["projekte"]
            importer.run([DEMO / "projects"])
            importer.resolve_relative_links()
            if report.failed:
                raise CommandError(f"demo content failed: {report.failed}")
            self.configure_site(home_page)
            translations = polib.pofile(str(DEMO / "en.po"))
            translated = translate_into(english, home_page, translations)
        self.stdout.write(
            f"Demo content: {len(report.created)} documents imported, "
            f"{len(report.unchanged) + len(report.updated)} kept as they were; "
            f"{translated} pages and snippets translated into English."
        )
        if corpus:
            self.import_corpus(Path(corpus), parents)

    def import_corpus(self, corpus, parents):
        """The network's whole site: labs below OK Labs, projects and posts below their lab."""
        content = corpus / "content"
        if not content.is_dir():
            raise CommandError(f"{corpus} has no content/ folder (expected a Hugo site).")
        for folder, parent in (
            ("labs", "ok-labs"),
            ("projekte", "projekte"),
            ("blog", "neuigkeiten"),
        ):
            self.stdout.write(f"Importing {content / folder} below /{parent}/ …")
            try:
                call_command(
                    "import_markdown",
                    str(content / folder),
                    parent=str(parents[parent].pk),
                    media_root=str(corpus / "static"),
                    stdout=self.stdout,
                    stderr=self.stderr,
                    skip_checks=True,
                )
            except CommandError as error:  # files that failed are listed above; go on
                self.stderr.write(str(error))

    def configure_site(self, home_page):
        by_slug = {page.slug: page for page in home_page.get_descendants().specific()}
        join_page = by_slug.get("mitmachen")
        if home_page.call_to_action_page_id is None and join_page is not None:
            home_page.call_to_action_page = join_page
            home_page.save_revision().publish()
        Page.objects.filter(pk__in=[page.pk for s, page in by_slug.items() if s in MENU_SLUGS],
                            show_in_menus=False).update(show_in_menus=True)  # fmt: skip
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.contact_email = settings.contact_email or "info@codefor.de"
        settings.imprint_page = settings.imprint_page or by_slug.get("impressum")
        settings.privacy_page = settings.privacy_page or by_slug.get("datenschutz")
        settings.join_page = settings.join_page or join_page
        settings.save()
        FooterText.objects.get_or_create(
            locale=home_page.locale,
            defaults={
                "body": (
                    "<p>Code for Germany ist ein Programm der Open Knowledge Foundation "
                    "Deutschland e.V. Inhalte der Labs: CC BY 4.0.</p>"
                )
            },
        )


def child_page(parent, model, slug, **fields):
    """The child of `parent` with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(slug=slug, locale=parent.locale, **fields))
    page.save_revision().publish()
    return page


def ensure_home_page(german):
    """The German home page, replacing Wagtail's placeholder welcome page on the first run."""
    home_page = HomePage.objects.filter(locale=german).first()
    if home_page is None:
        root = Page.get_first_root_node()
        root.get_children().filter(slug="home").exclude(content_type__model="homepage").delete()
        home_page = root.add_child(instance=HomePage(slug="home", locale=german, **HOME_FIELDS))
        home_page.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home_page,
            "site_name": "Code for Germany",
        },
    )
    return home_page
