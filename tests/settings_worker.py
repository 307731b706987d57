"""Test settings for real task workers: the database backend and the tests' tasks."""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import TASKS_REQUEUE_WHEN_STUCK

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASKS_REQUEUE_WHEN_STUCK = [*TASKS_REQUEUE_WHEN_STUCK, "tests.worker_tasks.resumable"]
