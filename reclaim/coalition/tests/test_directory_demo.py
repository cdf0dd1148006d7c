"""The directory's demo step: the coalition of organisations.json, listed."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from reclaim.coalition.demo_directory import organisations
from reclaim.coalition.models import Organisation
from reclaim.coalition.services.directory import listed_organisations
from reclaim.demo.facts import organisations as known
from reclaim.demo.steps import DemoContext


def test_the_demo_lists_the_coalition_once_however_often_it_runs(db, tmp_path: Path):
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    organisations(context)
    organisations(context)
    assert listed_organisations().count() == len(known()) == Organisation.objects.count()
    assert Organisation.objects.get(name="Access Now").country == ""  # international
    edri = Organisation.objects.get(name="European Digital Rights (EDRi)")
    assert edri.tier == Organisation.Tier.LEAD
    assert str(edri.country) == "BE"
    assert edri.logo_version
    assert edri.descriptions.count() == 3
    assert Organisation.objects.get(name="Xnet").tier == Organisation.Tier.PARTNER
    # Every organisation has a description in English at least.
    assert not Organisation.objects.exclude(descriptions__language="en").exists()
