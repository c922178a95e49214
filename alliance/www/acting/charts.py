"""The pure charts (alliance.charts) dressed for a page: words in the user's
language, one style per ally on every chart of the page, the SVG marked safe."""

from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alliance.acting.models import FACE_LABELS
from alliance.charts import (
    FaceSeries,
    Labels,
    Series,
    face_for,
    faces_chart,
    faces_summary,
    faces_table,
    line_chart,
    summary,
    table,
)


def labels() -> Labels:
    return Labels(
        series_change=_("{name}: {first} → {last} ({change}) since {since}"),
        series_single=_("{name}: {last} on {since}"),
        largest_gap=_("largest gap {gap} on {date}"),
        current_gap=_("gap now {gap}"),
        no_data=_("No readings yet."),
        # French sets a non-breaking space before ";" (and ":"): the translation carries it.
        separator=_("; "),
        date_header=_("Date"),
        gap_header=_("Gap"),
        gap_legend=_("Gap between allies"),
        point=_("{name}: {value} ({date})"),
        decimal_separator=get_format("DECIMAL_SEPARATOR"),
    )


def styles(allies) -> dict:
    """Ally id → style index: an ally keeps their colour, dash and shape on every chart."""
    return {ally.pk: index for index, ally in enumerate(sorted(allies, key=lambda a: a.pk))}


def over_time(points_by_ally, *, allies_by_id, style_of, scale, title, chart_id, words):
    """A line chart (one line per ally, the gap between them) with its table and its
    text summary. `points_by_ally`: ally id → [(date, value)] oldest first."""
    series = [
        Series(
            name=allies_by_id[ally_id].user.display_name,
            points=points,
            style=style_of.get(ally_id),
        )
        for ally_id, points in sorted(points_by_ally.items())
    ]
    return {
        "svg": mark_safe(  # noqa: S308 — alliance.charts escapes every text it writes
            line_chart(
                series,
                title=title,
                title_id=f"{chart_id}-title",
                desc_id=f"{chart_id}-desc",
                scale=scale,
                labels=words,
            )
        ),
        "table": readable_table(table(series, labels=words), words),
        "summary": summary(series, labels=words),
        "title": title,
        "id": chart_id,
    }


def readable_table(found, words) -> dict:
    """A chart's table with every cell already written out ("—" where nothing)."""

    def cell(value):
        return "—" if value is None else words.number(value)

    rows = []
    for row in found.rows:
        when = row.when if isinstance(row.when, str) else words.when(row.when)
        cells = [cell(v) for v in row.values]
        if found.has_gap:
            cells.append(cell(row.gap))
        rows.append({"when": when, "cells": cells})
    return {"headers": found.headers, "rows": rows}


def face_words() -> dict:
    """The five faces in words, as on the weather form."""
    return {face: str(label) for face, label in FACE_LABELS.items()}


def in_faces(points_by_ally, *, allies_by_id, low, high, title, chart_id, words):
    """The same chart in faces, for those who answer with faces: each answer is the
    face of its level on the scale `low`–`high`; the table writes each face as its
    word. The keys are those of `over_time`, so a page shows either one alike."""
    said = face_words()
    series = [
        FaceSeries(
            name=allies_by_id[ally_id].user.display_name,
            points=[(when, face_for(value, low, high)) for when, value in points],
        )
        for ally_id, points in sorted(points_by_ally.items())
    ]
    found = faces_table(series, labels=words)
    rows = [
        {
            "when": row.when if isinstance(row.when, str) else words.when(row.when),
            "cells": ["—" if face is None else said[face] for face in row.values],
        }
        for row in found.rows
    ]
    return {
        "svg": mark_safe(  # noqa: S308 — alliance.charts escapes every text it writes
            faces_chart(
                series,
                title=title,
                title_id=f"{chart_id}-title",
                desc_id=f"{chart_id}-desc",
                words=said,
                labels=words,
            )
        ),
        "table": {"headers": found.headers, "rows": rows},
        "summary": faces_summary(series, words=said, labels=words),
        "title": title,
        "id": chart_id,
        "faces": True,
    }
