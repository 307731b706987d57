from django.core.management.base import BaseCommand

from courses.roles import roles_sync


class Command(BaseCommand):
    help = (
        "Give each role (Uczestnik, Trener, Partner, Koordynator) exactly the "
        "permissions declared in courses/roles.py and by the apps plugged into it. "
        "Idempotent; `migrate` runs it too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default="default", help="The database to sync."
        )

    def handle(self, *args, database: str, **options):
        changes = roles_sync(using=database)
        if options["verbosity"]:
            for name, change in changes.items():
                self.stdout.write(
                    f"{name}: {change.added} granted, {change.removed} taken away"
                )
