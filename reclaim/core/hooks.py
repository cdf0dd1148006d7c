"""How an app plugs itself in: modules of its own that the framework finds.

An app adds to the whole by declaring things in modules of its own folder, under a known
module and attribute name, the way Django's admin finds ``admin.py``. Nothing central lists
the apps: a new app goes into ``INSTALLED_APPS`` and the URL configuration, and everything
else is found.

=================  ===============  ====================================================
module in the app  attribute        read by
=================  ===============  ====================================================
``jobs.py``        ``JOBS``         the scheduler (``reclaim.core.scheduler``)
``retention.py``   ``POLICIES``     ``reclaim purge`` (``reclaim.privacy.purge``)
``privacy.py``     ``FINDERS``      data-subject requests (``reclaim.privacy.registry``)
``roles.py``       ``PERMISSIONS``  staff roles (``reclaim.accounts.roles``)
``mails.py``       ``MAILS``        the outbox (``reclaim.mail.builders``)
``audit.py``       ``AUDIT_KINDS``  the audit log (``reclaim.audit.kinds``)
``demo.py``        ``STEPS``        ``reclaim demo`` (``reclaim.demo.steps``)
``api.py``         ``ROUTERS``      the public API at ``/api/v1/`` (``reclaim.api.routers``)
``navigation.py``  ``LINKS``,       the header, the footer, the front page and the
                   ``FOOTER_LINKS``, staff area (``reclaim.core.context_processors``,
                   ``SECTIONS``,    ``reclaim.core.views``, the admin's start page);
                   ``STAFF_LINKS``, where a non-staff account lands after signing in
                   ``ACCOUNT_HOMES`` (``reclaim.accounts.access.home_for``)
=================  ===============  ====================================================

Every attribute is a list. A hook reads the modules in the order of ``INSTALLED_APPS``, and
each list in its own order: that is the declared order wherever order matters (an app's
retention policies run in the order it lists them, the apps' in the order they are
installed).

A hook is read on first use and kept until ``INSTALLED_APPS`` changes (a test's
``override_settings``). The app that reads a hook reads it once in its ``ready()``, so a
hook module that fails to import stops the site at start-up instead of hiding; the system
checks (``reclaim.core.checks``) refuse two items of one hook under the same name.

The types the core reads (jobs, retention policies, navigation) are declared here, so that
an app imports its plug points from one place. A hook of another app (the API's routers,
the mails, the privacy finders) is a ``Hook`` declared in that app, with its type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import AppConfig, apps
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

if TYPE_CHECKING:
    from django.http import HttpRequest

T = TypeVar("T")
Text = str | Promise

_ALL: list[Hook[Any]] = []


@dataclass(frozen=True)
class Declared(Generic[T]):
    """One declared item and the app that declared it."""

    app: AppConfig
    item: T


class Hook(Generic[T]):
    """The items apps declare as ``ATTRIBUTE = [...]`` in their ``module.py``."""

    def __init__(self, module: str, attribute: str, key: Callable[[T], str] | None = None) -> None:
        self.module = module
        self.attribute = attribute
        # What names an item, where two items must not share a name (a job's name, a mail's
        # kind): the system checks refuse duplicates.
        self.key = key
        self._declared: list[Declared[T]] | None = None
        _ALL.append(self)

    def __repr__(self) -> str:
        return f"<Hook {self.module}.{self.attribute}>"

    def declared(self) -> list[Declared[T]]:
        """Every item with the app that declared it, in INSTALLED_APPS order."""
        if self._declared is None:
            self._declared = list(self._collect())
        return self._declared

    def items(self) -> list[T]:
        return [entry.item for entry in self.declared()]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())

    def forget(self) -> None:
        self._declared = None

    def _collect(self) -> Iterator[Declared[T]]:
        for app in apps.get_app_configs():
            if not module_has_submodule(app.module, self.module):
                continue
            module = import_module(f"{app.name}.{self.module}")
            value = getattr(module, self.attribute, None)
            if value is None:
                continue
            if not isinstance(value, list | tuple):
                raise TypeError(
                    f"{app.name}.{self.module}.{self.attribute} must be a list, "
                    f"not {type(value).__name__}."
                )
            for item in value:
                yield Declared(app, item)


def all_hooks() -> list[Hook[Any]]:
    """Every hook defined so far (those of apps whose modules are imported)."""
    return list(_ALL)


@receiver(setting_changed)
def _installed_apps_changed(setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        for hook in _ALL:
            hook.forget()


# --- Periodic jobs (jobs.py) ----------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Work the scheduler runs every ``every`` seconds (a number, or a function that reads
    it from the settings). A job must be idempotent: several schedulers may run it."""

    name: str
    every: int | Callable[[], int]
    run: Callable[[], object]

    def interval(self) -> int:
        return int(self.every() if callable(self.every) else self.every)


JOBS = Hook[Job]("jobs", "JOBS", key=lambda job: job.name)


# --- Retention policies (retention.py) ------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """One declared deletion: what it removes, how much is due now, and the deletion."""

    name: str
    description: Text
    count_due: Callable[[], int]
    run: Callable[[], int]


POLICIES = Hook[Policy]("retention", "POLICIES", key=lambda policy: policy.name)


# --- Staff roles (roles.py) ----------------------------------------------------------

# Each role is a group whose permissions the apps grant (reclaim.accounts.roles keeps the
# groups in step). Organisers and moderators are the house's own; an app adds a role of
# its own in its roles.py (``ROLES = [Role("Reviewers")]``).
ORGANISER = "Organisers"
MODERATOR = "Moderators"


@dataclass(frozen=True)
class Role:
    """A role. A staff role opens the staff area (``is_staff``, with a second factor); any
    other is an account that signs in the same way but is not staff (the admin stays
    closed), lands on its app's page (``ACCOUNT_HOMES``) and may hold no model permission:
    its app checks every object it may see (a partner organisation's staff)."""

    name: str
    staff: bool = True


HOUSE_ROLES = (Role(ORGANISER), Role(MODERATOR))
ADDED_ROLES = Hook[Role]("roles", "ROLES", key=lambda role: role.name)


def roles() -> list[Role]:
    return [*HOUSE_ROLES, *ADDED_ROLES]


def role_names() -> tuple[str, ...]:
    return tuple(role.name for role in roles())


def staff_roles() -> tuple[str, ...]:
    """The roles of staff (``is_staff``)."""
    return tuple(role.name for role in roles() if role.staff)


def account_roles() -> tuple[str, ...]:
    """The roles of accounts that are not staff."""
    return tuple(role.name for role in roles() if not role.staff)


@dataclass(frozen=True)
class Grant:
    """Permissions (``app_label.codename``) an app gives to one role."""

    role: str
    permissions: tuple[str, ...] | list[str]


PERMISSIONS = Hook[Grant]("roles", "PERMISSIONS")


# --- Navigation (navigation.py) -------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link in the site's header or footer: a URL name of the app and its label."""

    label: Text
    url_name: str


@dataclass(frozen=True)
class Section:
    """A block of the front page. ``context`` gives the template's context for a request,
    or None to leave the block out (nothing to show yet)."""

    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class StaffLink:
    """A page of the staff area, listed on the admin's start page for staff who hold
    ``permission``. ``links`` gives (label, URL) pairs: one per initiative, say."""

    title: Text
    permission: str
    links: Callable[[], list[tuple[Text, str]]]


@dataclass(frozen=True)
class AccountHome:
    """Where an account of ``role`` (a role that is not staff) lands after
    signing in and passing the second factor: its app's page, since the admin is closed
    to it. ``url_name`` is reversed without arguments."""

    role: str
    url_name: str


LINKS = Hook[Link]("navigation", "LINKS")
FOOTER_LINKS = Hook[Link]("navigation", "FOOTER_LINKS")
SECTIONS = Hook[Section]("navigation", "SECTIONS", key=lambda section: section.name)
STAFF_LINKS = Hook[StaffLink]("navigation", "STAFF_LINKS")
ACCOUNT_HOMES = Hook[AccountHome]("navigation", "ACCOUNT_HOMES", key=lambda home: home.role)
