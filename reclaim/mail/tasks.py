from __future__ import annotations

from django_tasks import task

from reclaim.mail import services


@task()
def deliver_mail(mail_id: int) -> bool:
    return services.deliver(mail_id)
