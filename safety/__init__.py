"""What keeps untrusted text harmless where it is written: HTML and JavaScript (``markup``) and
spreadsheets (``spreadsheet``: formulas, characters XML cannot hold)."""
