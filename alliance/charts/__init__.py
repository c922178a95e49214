"""Server-rendered SVG charts, as plain Python (no Django): accessible (role="img",
title, description, table and text alternatives), printable, and free of inline
styles and scripts so that they pass our Content Security Policy."""

from .axes import Scale
from .faces import FaceSeries, face_for, faces_chart, faces_summary, faces_table, value_for
from .labels import DEFAULT_LABELS, Labels
from .line import Series, Table, TableRow, line_chart, summary, table
from .strip import StripSeries, strip_chart, strip_summary, strip_table
from .styles import SeriesStyle, style_for

__all__ = [
    "DEFAULT_LABELS",
    "FaceSeries",
    "Labels",
    "Scale",
    "Series",
    "SeriesStyle",
    "StripSeries",
    "Table",
    "TableRow",
    "face_for",
    "faces_chart",
    "faces_summary",
    "faces_table",
    "line_chart",
    "strip_chart",
    "strip_summary",
    "strip_table",
    "style_for",
    "summary",
    "table",
    "value_for",
]
