from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    """A running task worker (`manage.py task_worker`), as it last reported in.

    A task RUNNING on a worker that stopped reporting was cut off (the process was
    killed or its machine lost): the stuck-task rule in cms/workers/worker.py
    recovers it.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last reported"), default=timezone.now)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, {self.pid})"
