"""What a report may show of the alliance weather's averages. Plain Python: no
Django import.

An average is shown only over at least k distinct alliances rated in its span (the
rule docs/suppression.md gives for averages), and so is the number of alliances
rated, except zero, which reveals no one. The number of ratings behind an average is
never published, so a hidden average cannot be worked out from the averages of the
spans around it: averages are weighted by ratings, not by alliances."""


def shown_count(alliances: int, k: int) -> int | None:
    return alliances if alliances >= k or alliances == 0 else None


def shown_averages(averages, alliances: int, k: int) -> list | None:
    """The averages of one span, or None when too few alliances were rated in it."""
    return list(averages) if alliances >= k else None


def published_periods(keys, by_period, k: int) -> list[dict]:
    """The averages of each sub-period of the report, by its key; `by_period`: one
    (averages, alliances rated) for each key, in order."""
    return [
        {
            "key": key,
            "averages": shown_averages(averages, alliances, k),
            "alliances": shown_count(alliances, k),
        }
        for key, (averages, alliances) in zip(keys, by_period, strict=True)
    ]
