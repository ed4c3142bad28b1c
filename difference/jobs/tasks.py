"""The jobs app's own background work: sending a mailing."""

from __future__ import annotations

from typing import Any

from difference.jobs import mail
from difference.jobs.models import Delivery, DeliveryStatus, Job
from difference.jobs.runner import Reporter, job_task


@job_task
def send_mailing(job: Job, report: Reporter) -> dict[str, Any]:
    """Send every delivery not yet sent (so a re-run after a crash sends nobody a message twice)."""
    pending = list(job.deliveries.filter(status=DeliveryStatus.PENDING))
    total = job.deliveries.count()
    already = total - len(pending)
    report.progress(already, total, unit="messages")
    connection = mail.open_connection()
    try:
        for done, delivery in enumerate(pending, start=already + 1):
            mail.deliver(delivery, connection=connection)
            report.progress(done, total)
    finally:
        mail.close_quietly(connection)
    counts = {status: 0 for status in DeliveryStatus.values}
    for status in Delivery.objects.filter(job=job).values_list("status", flat=True):
        counts[status] += 1
    summary = f"{counts['sent']} of {total} sent"
    if counts["refused"] or counts["failed"]:
        summary += f"; {counts['refused']} refused by the mail server, {counts['failed']} failed after retries"
    return {"summary": summary + ".", **counts, "total": total}
