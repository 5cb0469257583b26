"""Backup and restore: the demo site survives a round trip through `make backup`/`make restore`.

The commands run as a deployment runs them (manage.py in a process of its own, against a real
database file or a PostgreSQL database, with a media folder): the demo site and an uploaded image
are backed up, restored into a fresh, empty database and media folder, and compared page by page.
"""

import json
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.helpers import PROJECT_DIR
from tests.server import manage, production_env, server_database

SNAPSHOT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from wagtail.models import Page, Revision
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from home.models import CustomImage
media = Path(settings.MEDIA_ROOT)
print(json.dumps({
    "pages": [
        [p.title, p.url_path, p.live, p.locale.language_code, p.translation_key.hex,
         p.latest_revision_id is not None]
        for p in Page.objects.select_related("locale").order_by("path")
    ],
    "revisions": Revision.objects.count(),
    "translations": sorted(
        [str(t.source.object_id), t.target_locale.language_code, t.enabled]
        for t in Translation.objects.select_related("source", "target_locale")
    ),
    "sources": TranslationSource.objects.count(),
    "string_translations": sorted(StringTranslation.objects.values_list("data", flat=True)),
    "images": sorted([i.title, i.file.name] for i in CustomImage.objects.all()),
    "files": {
        str(f.relative_to(media)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in media.rglob("*") if f.is_file()
    },
}))
"""

ADD_IMAGE = """
import io
from django.core.files.images import ImageFile
from PIL import Image
from home.models import CustomImage
buffer = io.BytesIO()
Image.new("RGB", (40, 30), "#0a7").save(buffer, "PNG")
image = CustomImage(title="Sicherung", file=ImageFile(buffer, name="sicherung.png"))
image.save()
image.get_rendition("width-20")
"""


def snapshot(env):
    return json.loads(manage(env, "shell", "-c", SNAPSHOT).strip().splitlines()[-1])


@pytest.mark.server
def test_backup_and_restore_round_trip_the_demo_site():
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="oklab-backup-")))
        source_url = stack.enter_context(server_database())
        target_url = stack.enter_context(server_database())
        source = production_env(workdir / "source", source_url)
        target = production_env(workdir / "target", target_url)
        manage(source, "migrate", "--no-input", "-v", "0")
        manage(source, "load_demo_content")
        manage(source, "shell", "-c", ADD_IMAGE)
        before = snapshot(source)

        archive = Path(manage(source, "backup_site", "--output", str(workdir / "backups")).strip())
        assert archive.parent == workdir / "backups"
        assert archive.name.startswith("oklab-backup-") and archive.name.endswith(".tar.gz")

        # A fresh site: an empty database (for SQLite: not even a file yet) and no media.
        if target_url.startswith("sqlite"):
            Path(target_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        manage(target, "restore_site", str(archive))
        after = snapshot(target)

    assert len(before["pages"]) > 20
    assert before["images"] and len(before["files"]) >= 2  # the original and its rendition
    assert before["translations"] and before["string_translations"]
    for key in before:
        assert after[key] == before[key], key
    print(  # noqa: T201
        f"\nbackup round trip: {len(before['pages'])} pages, {before['revisions']} revisions, "
        f"{len(before['translations'])} translations, {len(before['files'])} media files"
    )


def test_restore_refuses_without_a_file_and_asks_nothing():
    make = subprocess.run(
        ["make", "--no-print-directory", "restore"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert make.returncode != 0
    assert "FILE=" in make.stdout + make.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "kaputt.tar.gz"
    bogus.write_bytes(b"not an archive")
    env = production_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3")
    with pytest.raises(RuntimeError, match="is not a backup of this site"):
        manage(env, "restore_site", str(bogus))
    with pytest.raises(RuntimeError, match="No such backup"):
        manage(env, "restore_site", str(tmp_path / "fehlt.tar.gz"))
