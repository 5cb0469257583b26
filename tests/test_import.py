"""The Markdown importer: seeds, the network's corpus, broken and hostile files, re-imports."""

import io
import re
import shutil

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from home.models import ContentPage
from labs.models import LabPage
from network.models import NewsPage, ProjectPage
from tests.factories import ContentPageFactory, NewsIndexPageFactory, ProjectIndexPageFactory
from tests.helpers import PROJECT_DIR, SHARED_DIR

pytestmark = pytest.mark.django_db

FIXTURES = PROJECT_DIR / "tests" / "fixtures" / "import"
SEEDS = PROJECT_DIR / "home" / "fixtures" / "seeds"
CORPUS = SHARED_DIR / "corpus" / "codefor.de"


def run_import(*paths, parent, **options):
    """Run the command; return (exit ok?, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_markdown",
            *map(str, paths),
            parent=str(parent.pk),
            stdout=out,
            stderr=err,
            **options,
        )
    except CommandError:
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def blocks(page):
    return [(block.block_type, block.value) for block in page.specific.body]


def rich_text(page):
    return "".join(str(value.source) for kind, value in blocks(page) if kind == "paragraph")


def test_flensburg_seed_becomes_blocks(home_page):
    ok, out, _err = run_import(SEEDS / "ok-lab-flensburg.md", parent=home_page, type="content")
    assert ok, out
    page = ContentPage.objects.get(slug="ok-lab-flensburg")
    headings = [
        (value["text"], value["level"]) for kind, value in blocks(page) if kind == "heading"
    ]
    assert headings[:3] == [
        ("Was macht das OK Lab Flensburg?", "h3"),
        ("Wer steckt hinter der Initiative?", "h3"),
        ("Wie kannst du bei uns mitmachen?", "h3"),
    ]
    assert ("Über uns", "h2") in headings and ("Unsere Ziele", "h3") in headings
    html = rich_text(page)
    assert "<li>Offene Daten und Transparenz fördern</li>" in html
    assert "<li>Bürger*innen zur Partizipation befähigen</li>" in html
    assert "Aktivitetshuset, Hinterhaus, Norderstraße 49, 24939 Flensburg" in html


def test_duesseldorf_seed_links_and_split(home_page):
    mitmachen = ContentPageFactory(parent=home_page, title="Mitmachen", slug="mitmachen")
    ok, out, _err = run_import(
        SEEDS / "ok-lab-duesseldorf.md",
        parent=home_page,
        type="content",
        split_at="Über Code for Germany",
    )
    assert ok, out
    lab_part = ContentPage.objects.get(slug="ok-lab-duesseldorf")
    about = ContentPage.objects.get(slug="ueber-code-for-germany")
    assert about.title == "Über Code for Germany"
    lab_html = rich_text(lab_part)
    portal = "Open Data Portal der Landeshauptstadt Düsseldorf"
    assert f'<a href="https://opendata.duesseldorf.de">{portal}</a>' in lab_html
    assert "target" not in lab_html and "Code for America" not in lab_html
    about_html = rich_text(about)
    assert '<a href="https://okfn.de">Open Knowledge Foundation Deutschland</a>' in about_html
    assert f'<a linktype="page" id="{mitmachen.pk}">„Mitmachen"</a>' in about_html
    assert "Stadtentwickler*innen" in lab_html  # emphasis marker kept as text where it is text
    headings = [value["text"] for kind, value in blocks(about) if kind == "heading"]
    assert headings == [
        "Die Open Knowledge Labs",
        "Warum OK Labs?",
        "Woher kommt die Idee zu Code for Germany? Wer steht hinter Code for Germany?",
    ]


def test_markdown_features_survive(home_page):
    ok, _out, err = run_import(FIXTURES / "markdown-features.md", parent=home_page, type="content")
    assert ok
    page = ContentPage.objects.get(slug="markdown-features")
    kinds = [kind for kind, _value in blocks(page)]
    assert kinds.count("heading") == 2  # the h1 equal to the title is not repeated
    html = rich_text(page)
    assert "<b>fett</b>" in html and "<i>kursiv</i>" in html
    assert "Zeilenumbruch<br/>in der zweiten Zeile" in html
    assert '<ul><li>erster Punkt mit <a href="https://example.org">Link</a></li>' in html
    assert "<ol><li>eins</li><li>zwei</li></ol>" in html
    assert "code bleibt Text &lt;b&gt;" in html
    quotes = [value["quote"] for kind, value in blocks(page) if kind == "quote"]
    assert quotes == ["Ein Zitat."]


def test_hostile_html_is_escaped_or_dropped_and_reported(client, home_page):
    ContentPageFactory(parent=home_page, title="Mitmachen", slug="mitmachen")
    ok, out, err = run_import(FIXTURES / "hostile.md", parent=home_page, type="content")
    assert ok, out
    page = ContentPage.objects.get(slug="hostile")
    html = client.get(page.url).content.decode()
    body = html.split('<main id="main"')[1].split("</main>")[0]
    assert "javascript:" not in body and "data:text/html" not in body
    assert "<script>" not in body and "onerror" not in body and "onclick" not in body
    assert '<a href="https://example.org/ok">harmloser Link</a>' in body
    assert '<a href="https://okfn.de">OKF</a>' in body
    assert "und ein gefährlicher und noch einer" in body
    assert '<a href="/mitmachen/">Mitmachen</a>' in body and 'href="/gibt-es-nicht/"' in body
    assert "unsafe-link-dropped" in out and "unknown-key: 1" in out and "shortcode-removed" in out
    assert "unresolved-link" in out and "/gibt-es-nicht/" in err


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("bad-yaml.md", 4, "not valid YAML"),
        ("no-title.md", 2, "no title"),
        ("unterminated.md", 1, "not closed"),
    ],
)
def test_malformed_files_fail_with_file_and_line_and_change_nothing(lab_index, name, line, reason):
    pages_before = Page.objects.count()
    ok, out, _err = run_import(FIXTURES / name, parent=lab_index)
    assert not ok
    assert f"FAILED {FIXTURES / name}:{line}: " in out and reason in out
    assert Page.objects.count() == pages_before


def test_a_failing_file_does_not_stop_the_others(lab_index, tmp_path):
    shutil.copy(FIXTURES / "bad-yaml.md", tmp_path / "a-bad.md")
    shutil.copy(FIXTURES / "no-title.md", tmp_path / "b-no-title.md")
    (tmp_path / "c-good.md").write_text("---\ntitle: OK Lab Gut\ncity: Berlin\n---\n\nText.\n")
    ok, out, _err = run_import(tmp_path, parent=lab_index)
    assert not ok
    assert "files: 3  created: 1  updated: 0  skipped: 0  failed: 2" in out
    assert LabPage.objects.filter(title="OK Lab Gut").exists()


def test_lab_file_maps_every_key(client, lab_index, tmp_path):
    (tmp_path / "flensburg.md").write_text(
        "---\ncity: Flensburg\ntitle: OK Lab Flensburg\nlat: 54.79\nlong: 9.43\n"
        "markerposition: left\ninactive: false\naliases:\n- /flensburg\n- /fl\n"
        "members:\n- name: Ada\n  username_github: ada\n  username_twitter: ada_tw\n"
        "links:\n- name: Website\n  url: https://oklabflensburg.de\n"
        "- name: Mastodon\n  url: https://norden.social/@oklabflensburg\n"
        "- name: Code\n  url: https://github.com/oklabflensburg\n"
        "leads:\n- name: Roald\n  url: mailto:roald@example.org\n"
        "feeds:\n- type: ical\n  url: https://example.org/cal.ics\n"
        "favourite_colour: blue\n---\n\n### Was macht das OK Lab?\n\nCivic Tech.\n",
        encoding="utf-8",
    )
    ok, out, err = run_import(tmp_path, parent=lab_index)
    assert ok, out
    lab = LabPage.objects.get(slug="flensburg")
    assert (lab.city, lab.bundesland, lab.lat, lab.long) == (
        "Flensburg",
        "schleswig-holstein",
        54.79,
        9.43,
    )
    assert [link.value["kind"] for link in lab.links] == ["website", "mastodon", "github", "other"]
    assert lab.leads[0].value["email"] == "roald@example.org"
    assert lab.members[0].value["github"] == "ada"
    assert "unknown key 'favourite_colour'" in err and "member field 'username_twitter'" in err
    assert "ignored-key: 1" in out
    assert client.get("/fl").status_code == 301
    assert client.get("/fl")["Location"] == "/ok-labs/flensburg/"


def test_reimport_updates_the_same_pages_with_one_more_revision(lab_index):
    ok, _out, _err = run_import(
        FIXTURES / "markdown-features.md", parent=lab_index.get_parent(), type="content"
    )
    assert ok
    pages, revisions = Page.objects.count(), Revision.objects.count()
    ok, out, _err = run_import(
        FIXTURES / "markdown-features.md", parent=lab_index.get_parent(), type="content"
    )
    assert ok and "created: 0  updated: 1" in out
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions + 1


def test_dry_run_writes_nothing(home_page, tmp_path):
    shutil.copy(FIXTURES / "markdown-features.md", tmp_path / "a.md")
    pages, revisions = Page.objects.count(), Revision.objects.count()
    ok, out, _err = run_import(tmp_path, parent=home_page, dry_run=True, type="content")
    assert ok and "Dry run: nothing was written." in out and "created: 1" in out
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


@pytest.fixture
def network_indexes(home_page, lab_index):
    return {
        "projects": ProjectIndexPageFactory(parent=home_page),
        "news": NewsIndexPageFactory(parent=home_page),
    }


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus is not at {CORPUS} (CI has it)")
def test_the_whole_corpus_imports_with_every_file_accounted_for(client, lab_index, network_indexes):
    content = CORPUS / "content"
    results = {}
    for folder, parent in (
        ("labs", lab_index),
        ("projekte", network_indexes["projects"]),
        ("blog", network_indexes["news"]),
    ):
        files = sorted((content / folder).rglob("*.md"))
        ok, out, _err = run_import(content / folder, parent=parent, media_root=CORPUS / "static")
        counts = dict(
            re.findall(r"(created|updated|skipped|failed): (\d+)", out.split("Import finished.")[1])
        )
        counts = {key: int(value) for key, value in counts.items()}
        assert sum(counts.values()) == len(files), (folder, counts)
        assert counts["updated"] == 0, folder
        for failure in re.findall(r"FAILED (\S+):(\d+): (.+)", out):
            assert failure[2].strip(), failure
        results[folder] = (ok, counts, out)
    assert results["labs"][1] == {"created": 38, "updated": 0, "skipped": 0, "failed": 0}
    assert results["projekte"][1] == {"created": 247, "updated": 0, "skipped": 2, "failed": 0}
    assert results["blog"][1]["failed"] == 1
    assert (
        "2022-12-21-open-soure-in-der-berliner-verwaltung.md:4: the front matter is not valid YAML"
        in results["blog"][2]
    )
    assert LabPage.objects.count() == 38 and ProjectPage.objects.count() == 247
    drafts = NewsPage.objects.filter(live=False).count()
    assert NewsPage.objects.live().count() == NewsPage.objects.count() - drafts > 200
    known_kinds = {
        "coordinates-from-city-table", "ignored-key", "unknown-key", "member-key-dropped",
        "missing-image", "html-removed", "html-escaped", "unsafe-link-dropped", "lab-not-found",
        "status-unknown", "unresolved-link", "category-unknown", "shortcode-removed",
        "table-as-text", "code-block-as-text",
    }  # fmt: skip
    for _folder, (_ok, _counts, out) in results.items():
        kinds = set(re.findall(r"^    ([a-z-]+): \d+$", out, flags=re.MULTILINE))
        assert kinds <= known_kinds, kinds - known_kinds
    assert Redirect.objects.filter(old_path="/flensburg").exists()
    assert client.get("/flensburg").status_code == 301
    assert client.get("/ok-labs/berlin/").status_code == 200


def test_reimport_keeps_fields_the_document_does_not_have(lab_index, tmp_path):
    (tmp_path / "kiel.md").write_text(
        "---\ntitle: OK Lab Kiel\ncity: Kiel\nlat: 54.32\nlong: 10.13\n---\n\nText.\n"
    )
    ok, _out, _err = run_import(tmp_path, parent=lab_index)
    assert ok
    lab = LabPage.objects.get(slug="kiel")
    lab.meetings = [("meeting", {"rhythm": "by-arrangement", "notes": "Per Mail"})]
    lab.founding_year = 2019
    lab.save_revision().publish()
    ok, out, _err = run_import(tmp_path, parent=lab_index)
    assert ok and "updated: 1" in out
    lab.refresh_from_db()
    assert lab.meetings[0].value["notes"] == "Per Mail" and lab.founding_year == 2019
