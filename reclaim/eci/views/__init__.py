"""The ECI companion's pages, one module per area.

- ``public``: the list of initiatives, an initiative's page and its eligibility checker;
- ``dashboard``: the threshold dashboard, and its embed for partners' sites;
- ``paper_forms``: the blank paper forms per member state;
- ``calendar``: the deadline calendar, as a page and as an iCalendar feed;
- ``sponsors``: the sponsor disclosure;
- ``organise``: the organisers' back office (paper batches, deadlines, warnings);
- ``figures``: the organisers' figures page (counters' status, figures entered by hand).
"""
