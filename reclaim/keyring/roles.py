from reclaim.core.hooks import ORGANISER, Grant

PERMISSIONS = [Grant(ORGANISER, ["keyring.view_publickey"])]
