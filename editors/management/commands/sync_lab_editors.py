"""Create or repair the editors' groups, the labs' image collections and the approval workflow."""

from django.core.management.base import BaseCommand

from editors import groups


class Command(BaseCommand):
    help = (
        "Create or repair the groups Netzwerk-Redaktion and Lab-Redaktion (one per lab), the "
        "labs' image collections, their permissions and the workflow Netzwerk-Freigabe. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        summary = groups.sync()
        self.stdout.write(f"{groups.NETWORK_GROUP}: edits and publishes everything.")
        for name in summary["labs"]:
            self.stdout.write(f"{name}")
        self.stdout.write(
            f"{groups.WORKFLOW_NAME}: {len(summary['sections'])} network sections moderated "
            f"({', '.join(summary['sections']) or '-'}); labs publish directly."
        )
        for name in summary["orphans"]:
            self.stdout.write(
                self.style.WARNING(f"{name}: its lab no longer exists; group and images kept.")
            )
