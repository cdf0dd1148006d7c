"""Who may see what. Each condition on its own line, in one place."""

from __future__ import annotations

from django.http import Http404

from reclaim.letters.models import Petition
from reclaim.lib.processcache import ProcessCache

# Every signature and counter request reads its petition: kept a couple of seconds per
# process. A campaign runs a handful of petitions; the bound only stops a flood of old
# addresses from growing the process.
published = ProcessCache[Petition]("petitions", maxsize=256)
published.clear_on_change(Petition)


def get_public_petition(slug: str) -> Petition:
    """A petition anyone may read: published (not a draft). Kept a couple of seconds in
    the process (reclaim.lib.processcache): every signature and counter request needs it."""
    return published.get(slug, lambda: _load_public_petition(slug))


def _load_public_petition(slug: str) -> Petition:
    petition = Petition.objects.filter(slug=slug).first()
    if petition is None:
        raise Http404
    if petition.status == Petition.Status.DRAFT:
        raise Http404
    return petition
