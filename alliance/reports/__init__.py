"""Reports: anonymised aggregates, small-count suppression, proposals and answers."""
