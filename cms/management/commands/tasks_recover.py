from django.core.management.base import BaseCommand

from cms.workers.worker import tasks_recover


class Command(BaseCommand):
    help = (
        "Apply the stuck-task rule once: tasks left RUNNING by a worker that stopped "
        "are queued again (TASKS_REQUEUE_WHEN_STUCK) or marked failed. Every "
        "task_worker does this at start and every TASKS_RECOVER_EVERY seconds."
    )

    def handle(self, **options):
        recovery = tasks_recover()
        self.stdout.write(
            f"queued again: {len(recovery.requeued)}, marked failed: "
            f"{len(recovery.failed)}"
        )
        for pk in recovery.requeued:
            self.stdout.write(f"  queued again: {pk}")
        for pk in recovery.failed:
            self.stdout.write(f"  marked failed: {pk}")
