"""The ECI companion's forms: the eligibility checker's (``eligibility``), the organisers'
paper batches (``batches``) and figures entered by hand (``figures``)."""
