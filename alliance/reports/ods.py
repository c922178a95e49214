"""A small OpenDocument spreadsheet (.ods) writer: sheets of text and whole numbers,
nothing else. Plain Python (zipfile and XML escaping), no Django import.

The package holds what ODF 1.2 requires of a minimal document: `mimetype` first
and stored uncompressed, the manifest, and `content.xml`."""

import io
import zipfile
from collections.abc import Sequence
from numbers import Integral
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"'
)

Cell = str | int | None


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, Integral) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{int(value)}">'
            f"<text:p>{int(value)}</text:p></table:table-cell>"
        )
    if not isinstance(value, str):
        raise ValueError(f"an ODS cell holds text or a whole number, not {value!r}")
    clean = "".join(c for c in value if c in "\t\n" or ord(c) >= 32)
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(clean)}</text:p></table:table-cell>"
    )


def content_xml(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> str:
    if not sheets:
        raise ValueError("a spreadsheet needs at least one sheet")
    body = []
    for name, rows in sheets:
        body.append(f"<table:table table:name={quoteattr(name[:31] or 'Sheet')}>")
        for row in rows:
            body.append("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>")
        body.append("</table:table>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_NAMESPACES}><office:body><office:spreadsheet>"
        + "".join(body)
        + "</office:spreadsheet></office:body></office:document-content>"
    )


def write_ods(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> bytes:
    """The bytes of an .ods file with these sheets (name, rows of cells)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content_xml(sheets), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
