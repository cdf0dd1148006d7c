"""What the atlas writes to the audit log. Each part adds its kinds in its own section."""



AUDIT_KINDS = [
    # --- records: deployments, devices, evidence, reverts (services/records.py) ---------
    # --- reports: anonymous reports and their contact (services/reports.py) -------------
    # --- review: decisions, votes, official confirmation (services/verification.py) -----
]
