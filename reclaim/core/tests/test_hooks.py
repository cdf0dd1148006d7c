"""An app plugs itself in: a new app added to INSTALLED_APPS, with no edit anywhere else,
has its periodic job, retention policy, privacy finder and role permission found.

The app is written by the test into a temporary folder and installed by a settings module
that only appends it to reclaim's INSTALLED_APPS, then driven in a fresh process on a
SQLite database of its own: exactly what a new app's author does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error
from django.test import override_settings

from reclaim.core.hooks import JOBS, POLICIES, Hook

PROBE = {
    "__init__.py": "",
    "apps.py": """
        from django.apps import AppConfig

        class ProbeConfig(AppConfig):
            name = "probe"
            default_auto_field = "django.db.models.BigAutoField"
    """,
    "models.py": """
        from django.db import models

        class Note(models.Model):
            email_hash = models.CharField(max_length=64)
            expired = models.BooleanField(default=False)

            class Meta:
                permissions = [("read_note", "Can read notes")]
    """,
    "jobs.py": """
        import os
        from pathlib import Path

        from reclaim.core.hooks import Job

        def note_the_run():
            Path(os.environ["PROBE_RAN"]).write_text("ran")

        JOBS = [Job("probe job", 3600, note_the_run)]
    """,
    "retention.py": """
        from reclaim.core.hooks import Policy
        from probe.models import Note

        def delete_expired():
            return Note.objects.filter(expired=True).delete()[0]

        POLICIES = [
            Policy(
                "probe_notes_deleted",
                "Expired notes",
                count_due=lambda: Note.objects.filter(expired=True).count(),
                run=delete_expired,
            )
        ]
    """,
    "privacy.py": """
        from reclaim.privacy.registry import Finder, Found
        from probe.models import Note

        def notes(email_hash):
            found = list(Note.objects.filter(email_hash=email_hash))
            ids = [note.pk for note in found]
            return Found(
                label="Notes",
                rows=[{"note": note.pk} for note in found],
                erase=lambda: Note.objects.filter(pk__in=ids).delete()[0],
            )

        FINDERS = [Finder("probe notes", notes)]
    """,
    "roles.py": """
        import os

        from reclaim.core.hooks import MODERATOR, Grant, Role

        ROLES = [Role("Note keepers")]
        PERMISSIONS = [
            Grant(MODERATOR, [os.environ.get("PROBE_GRANT", "probe.read_note")]),
            Grant("Note keepers", ["probe.read_note"]),
        ]
    """,
}

SETTINGS = """
    from reclaim.settings import *  # noqa: F403
    from reclaim.settings import INSTALLED_APPS

    INSTALLED_APPS = [*INSTALLED_APPS, "probe"]
    MIGRATION_MODULES = {"probe": None}
"""

SCRIPT = """
    import json, os, sys
    import django
    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from reclaim.accounts.services import ensure_staff_account
    from reclaim.core.hooks import JOBS, POLICIES, staff_roles
    from reclaim.core.scheduler import run_forever
    from reclaim.lib.emailhash import email_hash
    from reclaim.privacy.purge import run_purge
    from reclaim.privacy.registry import FINDERS, find_all
    from probe.models import Note

    call_command("migrate", run_syncdb=True, verbosity=0)
    Note.objects.create(email_hash=email_hash("ada@example.org"))
    Note.objects.create(email_hash=email_hash("bob@example.org"), expired=True)
    found = find_all(email_hash("Ada@Example.org"))
    purged = run_purge()
    run_forever(stop_after=0.2)
    keeper, _created = ensure_staff_account("kim", "Note keepers", "a long passphrase")
    json.dump(
        {
            "jobs": [job.name for job in JOBS],
            "policies": [policy.name for policy in POLICIES],
            "finders": [finder.name for finder in FINDERS],
            "found": {name: f.rows for name, f in found.items()},
            "purged": purged.get("probe_notes_deleted"),
            "moderators": sorted(
                Group.objects.get(name="Moderators")
                .permissions.values_list("content_type__app_label", "codename")
            ),
            "staff_roles": list(staff_roles()),
            "keeper": [keeper.is_staff, keeper.has_perm("probe.read_note")],
        },
        sys.stdout,
    )
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def _run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    _write(tmp_path / "probe", PROBE)
    _write(tmp_path, {"probe_settings.py": SETTINGS})
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "probe_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
        "RECLAIM_DATA_DIR": str(tmp_path / "data"),
        "RECLAIM_TASK_BACKEND": "immediate",
        "PROBE_RAN": str(tmp_path / "ran.txt"),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_a_new_app_s_job_policy_finder_role_and_permission_are_found(tmp_path: Path) -> None:
    done = _run(tmp_path, ["-c", textwrap.dedent(SCRIPT)])
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)

    # Found after every app of reclaim's own, in the order of INSTALLED_APPS.
    assert result["jobs"][-1] == "probe job"
    assert "aggregate counts" in result["jobs"]
    assert result["policies"][-1] == "probe_notes_deleted"
    assert result["finders"][-1] == "probe notes"
    # And each one works through the framework that reads it.
    assert (tmp_path / "ran.txt").read_text() == "ran"
    assert result["purged"] == 1
    assert result["found"] == {"probe notes": [{"note": 1}]}
    assert ["probe", "read_note"] in result["moderators"]
    # Its own role, next to the house's and the other apps' (the atlas's reviewers).
    assert result["staff_roles"][:2] == ["Organisers", "Moderators"]
    assert {"Reviewers", "Note keepers"} <= set(result["staff_roles"])
    assert result["keeper"] == [True, True]


def test_a_permission_that_does_not_exist_stops_the_start(tmp_path: Path) -> None:
    done = _run(tmp_path, ["-m", "django", "check"], PROBE_GRANT="probe.read_notes_of_everyone")
    assert done.returncode != 0
    assert "reclaim.accounts.E001" in done.stderr
    assert "probe.read_notes_of_everyone" in done.stderr


def test_a_hook_reads_each_installed_app_s_module_in_installed_apps_order(settings: Any) -> None:
    order = list(settings.INSTALLED_APPS)
    for hook in (JOBS, POLICIES):
        positions = [order.index(declared.app.name) for declared in hook.declared()]
        assert positions == sorted(positions)
    assert POLICIES.declared()[0].app.name == "reclaim.core"


def test_a_hook_forgets_what_it_read_when_the_installed_apps_change() -> None:
    before = [policy.name for policy in POLICIES]
    with override_settings(
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "reclaim.core",
            "reclaim.mail",
        ]
    ):
        assert [p.name for p in POLICIES] == ["task_results_pruned", "undelivered_mails_dropped"]
    assert [policy.name for policy in POLICIES] == before


def test_a_declaration_that_is_not_a_list_is_refused(monkeypatch: Any) -> None:
    import reclaim.core.apps as core_apps
    from reclaim.core import hooks

    monkeypatch.setattr(hooks, "_ALL", list(hooks._ALL))  # the probe hook goes with the test
    monkeypatch.setattr(core_apps, "PROBE_ITEMS", "not a list", raising=False)
    with pytest.raises(TypeError, match="reclaim.core.apps.PROBE_ITEMS must be a list"):
        Hook[object]("apps", "PROBE_ITEMS").items()


def test_two_items_of_one_hook_under_one_name_are_a_start_up_error(monkeypatch: Any) -> None:
    from reclaim.core import checks

    first = JOBS.declared()[0]
    monkeypatch.setattr(JOBS, "_declared", [*JOBS.declared(), first])
    errors = checks.hooks_are_unique()
    assert [error.id for error in errors] == ["reclaim.core.E001"]
    assert isinstance(errors[0], Error)
    assert repr(first.item.name) in errors[0].msg
