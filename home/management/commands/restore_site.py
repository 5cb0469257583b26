"""manage.py restore_site FILE: bring back a backup written by backup_site.

Replaces the whole database and the contents of MEDIA_ROOT with the archive's; asks nothing.
The archive must come from the same database engine (SQLite or PostgreSQL). Stop the site (or
take it out of the load balancer) while restoring.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from home.management.commands.backup_site import engine, postgres_arguments_and_env, postgres_tool


class Command(BaseCommand):
    help = "Restore the database and MEDIA_ROOT from an archive written by backup_site."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive, e.g. backups/oklab-backup-….tar.gz")

    def handle(self, *args, **options):
        archive = Path(options["file"])
        if not archive.is_file():
            raise CommandError(f"No such backup: {archive}")
        vendor = engine()
        with tempfile.TemporaryDirectory(prefix="oklab-restore-") as folder:
            folder = Path(folder)
            try:
                with tarfile.open(archive, "r:gz") as tar:
                    tar.extractall(folder, filter="data")
                manifest = json.loads((folder / "manifest.json").read_text())
            except (tarfile.TarError, OSError, ValueError) as error:
                raise CommandError(f"{archive} is not a backup of this site: {error}") from error
            if manifest.get("engine") != vendor:
                raise CommandError(
                    f"{archive} holds a {manifest.get('engine')} database; this site uses {vendor}."
                )
            connections.close_all()
            self.restore_database(vendor, folder / manifest["database"])
            count = self.restore_media(folder / "media")
        self.stderr.write(f"Restored {archive}: {vendor} database, {count} media files\n")

    def restore_database(self, vendor, dump):
        if vendor == "sqlite":
            source = sqlite3.connect(dump)
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            try:
                with target:
                    source.backup(target)  # page by page, in one transaction of the target
            finally:
                target.close()
                source.close()
            return
        arguments, env = postgres_arguments_and_env()
        result = subprocess.run(  # noqa: S603
            [
                postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *arguments,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")

    def restore_media(self, media):
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        if media.exists():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
        return sum(1 for path in media_root.rglob("*") if path.is_file())
