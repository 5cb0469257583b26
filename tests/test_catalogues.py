"""The gettext catalogues: complete, without fuzzy entries, and compiled from the current .po."""

import shutil
import subprocess
import sys

import polib
import pytest

from tests.helpers import PROJECT_DIR

LANGUAGES = ["de", "en"]
SOURCE_FOLDERS = ["home", "labs", "network", "editors", "site_oklab", "templates"]


def catalogue(language):
    return polib.pofile(str(PROJECT_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


def entry_key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.fixture(scope="module")
def extracted_catalogue(tmp_path_factory):
    """Run makemessages on a copy of the sources and return the freshly extracted German .po."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: apt-get install gettext")
    copy = tmp_path_factory.mktemp("sources")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_DIR / folder, copy / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(PROJECT_DIR / "manage.py", copy / "manage.py")
    (copy / "locale" / "de").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_of_code_and_templates_is_in_the_catalogue(extracted_catalogue, language):
    in_code = {entry_key(entry) for entry in extracted_catalogue}
    in_catalogue = {entry_key(entry) for entry in catalogue(language) if not entry.obsolete}
    assert in_code - in_catalogue == set(), "run `make messages` and translate the new strings"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_empty_or_fuzzy(language):
    problems = [
        entry.msgid
        for entry in catalogue(language)
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    mo_path = PROJECT_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), "run `make translations`"
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
        for entry in polib.mofile(str(mo_path))
    }
    expected = {
        (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
        for entry in catalogue(language).translated_entries()
    }
    assert compiled == expected


def test_german_catalogue_translates_the_interface():
    german = {entry.msgid: entry.msgstr for entry in catalogue("de")}
    assert german["Skip to content"] == "Zum Inhalt springen"
    assert german["Page not found"] == "Seite nicht gefunden"
