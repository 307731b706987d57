from django.core.management.base import BaseCommand

from courses.services.communication import session_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each trainee with a place a reminder of their sessions tomorrow. "
        "Safe to run as often as you like: each reminder goes out once."
    )

    def handle(self, *args, **options):
        sent = session_reminders_send()
        if options["verbosity"]:
            self.stdout.write(f"Reminders sent: {sent}")
