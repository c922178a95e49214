"""Everyone's home page: what needs me, across all my alliances."""
