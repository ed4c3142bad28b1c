"""Background jobs as people see them: what is being done, for whom, how far it has got, and what came of it.

django-tasks (with its database backend) queues and runs the work; a ``Job`` is the record people read. It is
written only outside the work's own transaction, so its progress shows while an all-or-nothing import is still
checking rows, and a job whose worker died is found by its stale heartbeat.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


# Generated names: what the person called a file is kept apart, never used as a path.
def input_path(instance: Job, filename: str) -> str:
    return f"jobs/inputs/{secrets.token_hex(16)}"


def result_path(instance: Job, filename: str) -> str:
    return f"jobs/results/{secrets.token_hex(16)}"


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: User) -> JobQuerySet:
        """Staff admin see every job; other staff the jobs they started; a trust partner the jobs about their own
        trust's data; anyone else only jobs they started themselves."""
        if not is_active(user):
            return self.none()
        if user.role == Role.STAFF_ADMIN:
            return self
        if user.role == Role.TRUST_PARTNER:
            return self.filter(trust__in=membership_ids(user, "trust"))
        return self.filter(started_by=user)

    def unfinished(self) -> JobQuerySet:
        return self.exclude(state__in=FINISHED_STATES)


class Job(models.Model):
    kind = models.CharField(max_length=60, help_text="What sort of work, e.g. consultancy.upload.")
    title = models.CharField(max_length=255)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # The trust whose data the job is about, if any: its partners may follow the job and read its result.
    trust = models.ForeignKey("schools.Trust", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    task_path = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The queued task's id in django-tasks.")
    input_file = models.FileField(upload_to=input_path, blank=True)
    input_name = models.CharField(max_length=255, blank=True)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(null=True, blank=True)
    progress_unit = models.CharField(max_length=30, default="steps")
    stage = models.CharField(max_length=120, blank=True, help_text="What the job is doing now.")
    log = models.JSONField(default=list, blank=True, help_text="Messages for the person, each with its time.")
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to=result_path, blank=True)
    result_file_name = models.CharField(max_length=255, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_link_label = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True, help_text="Why it failed, in words for the person who started it.")
    error_detail = models.TextField(blank=True, help_text="The traceback, for staff only.")
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)
    time_limit = models.PositiveIntegerField(help_text="Seconds the work may run before it is stopped.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx")]

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int | None:
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def duration(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Not sent yet"
    SENT = "sent", "Sent"
    REFUSED = "refused", "Refused by the mail server"
    FAILED = "failed", "Failed after retries"


class Delivery(models.Model):
    """One recipient of a mailing job, and what became of the message to them."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.get_status_display()}"
