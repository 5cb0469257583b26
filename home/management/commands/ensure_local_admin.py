"""Make sure a local admin account exists and print its login (development only)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = settings.BASE_DIR / ".local-admin-password"


class Command(BaseCommand):
    help = "Create the local admin account once and print its login; never changes an existing one."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a local admin account outside DEBUG settings.")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username, "admin@localhost", password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        elif PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = None
        self.stdout.write(self.style.SUCCESS("Admin login: http://127.0.0.1:8000/admin/"))
        self.stdout.write(f"  user:     {username}")
        if password:
            self.stdout.write(f"  password: {password}  (kept in {PASSWORD_FILE.name})")
        else:
            self.stdout.write(
                "  password: unchanged (set one with `manage.py changepassword " + username + "`)"
            )
