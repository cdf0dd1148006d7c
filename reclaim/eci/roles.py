"""What organisers may do around a citizens' initiative."""

from reclaim.core.hooks import ORGANISER, Grant

PERMISSIONS = [
    Grant(
        ORGANISER,
        [
            "eci.organise_initiative",
            "eci.view_initiative",
            "eci.change_initiative",
            "eci.view_counterreading",
            "eci.add_counterreading",
            "eci.view_paperbatch",
            "eci.add_paperbatch",
            "eci.change_paperbatch",
            "eci.view_sponsor",
            "eci.add_sponsor",
            "eci.change_sponsor",
        ],
    ),
]
