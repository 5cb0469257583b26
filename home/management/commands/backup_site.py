"""manage.py backup_site: the database and the uploaded media in one dated archive.

    backups/oklab-backup-20261123-091500.tar.gz
        manifest.json        what is inside (database engine, time, counts)
        database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
        database.dump        PostgreSQL: pg_dump --format=custom
        media/...            MEDIA_ROOT as it is

The site keeps running while the backup is made. `manage.py restore_site FILE` brings it back.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

ARCHIVE_PREFIX = "oklab-backup-"


def postgres_tool(name):
    """pg_dump/pg_restore from PG_BIN when set (the server's own version), else from PATH."""
    if os.environ.get("PG_BIN"):
        candidate = Path(os.environ["PG_BIN"]) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} not found: install the PostgreSQL client or set PG_BIN.")
    return found


def postgres_arguments_and_env():
    """Connection arguments for the PostgreSQL tools from Django's settings; password in env."""
    database = settings.DATABASES["default"]
    arguments = ["--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return arguments, env


def engine():
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


class Command(BaseCommand):
    help = "Write the database and MEDIA_ROOT into one dated archive under backups/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "backups"), help="Folder for the archive"
        )

    def handle(self, *args, **options):
        vendor = engine()
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        archive = output / f"{ARCHIVE_PREFIX}{stamp}.tar.gz"
        number = 1
        while archive.exists():
            number += 1
            archive = output / f"{ARCHIVE_PREFIX}{stamp}-{number}.tar.gz"
        with tempfile.TemporaryDirectory(prefix="oklab-backup-") as folder:
            folder = Path(folder)
            database_file = self.dump_database(vendor, folder)
            media_root = Path(settings.MEDIA_ROOT)
            media_files = (
                [path for path in media_root.rglob("*") if path.is_file()]
                if media_root.exists()
                else []
            )
            manifest = {
                "format": 1,
                "created": timezone.now().isoformat(timespec="seconds"),
                "engine": vendor,
                "database": database_file.name,
                "media_files": len(media_files),
            }
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
            partial = archive.with_name(archive.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(folder / "manifest.json", arcname="manifest.json")
                tar.add(database_file, arcname=database_file.name)
                if media_root.exists():
                    tar.add(media_root, arcname="media")
                else:
                    info = tarfile.TarInfo("media")
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
            partial.replace(archive)  # never a half-written archive under the final name
        self.stdout.write(f"{archive}\n")
        if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
            self.stderr.write(
                "Uploads are kept in an object store (AWS_STORAGE_BUCKET_NAME), not MEDIA_ROOT: "
                "back the bucket up with its own tools.\n"
            )
        self.stderr.write(
            f"Backup written: {archive} ({vendor} database, {len(media_files)} media files)\n"
        )

    def dump_database(self, vendor, folder):
        if vendor == "sqlite":
            target = folder / "database.sqlite3"
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            copy = sqlite3.connect(target)
            try:
                with copy:
                    source.backup(copy)
            finally:
                copy.close()
                source.close()
            return target
        target = folder / "database.dump"
        arguments, env = postgres_arguments_and_env()
        result = subprocess.run(  # noqa: S603
            [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
            + arguments,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return target
