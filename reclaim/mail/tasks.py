from __future__ import annotations

from django_tasks import task

from reclaim.mail import services


@task()
def deliver_pending() -> int:
    return services.deliver_pending()


@task()
def deliver_mail(mail_id: int) -> bool:
    # No longer enqueued by queue_mail; kept for tasks queued before deliver_pending existed.
    return services.deliver(mail_id)
