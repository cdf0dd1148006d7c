from __future__ import annotations

from django_tasks import task

from reclaim.mail import services


@task()
def deliver_pending() -> int:
    return services.deliver_pending()
