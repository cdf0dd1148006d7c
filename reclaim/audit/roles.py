from reclaim.core.hooks import ORGANISER, Grant

PERMISSIONS = [Grant(ORGANISER, ["audit.view_auditentry"])]
