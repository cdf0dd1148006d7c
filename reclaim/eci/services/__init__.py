"""Every write of the ECI companion, one module per idea; nothing else in ``reclaim.eci``
writes.

- ``initiatives``: an initiative's registered data.
- ``figures``: counter readings and each counter's sync status.
- ``batches``: paper batches and their chain of custody.
- ``sponsors``: the sponsor disclosure.
- ``overdue_mail``: the daily mail about paper past its destruction deadline.

Each write is a named verb in one transaction, with an audit entry where it records an
organiser's action. The reads are beside the models: ``reclaim.eci.figures``,
``reclaim.eci.batches`` and ``reclaim.eci.sponsors``.
"""
