"""Files made in the tests: no file ships with the repository."""

import io

from PIL import Image

# The smallest PDF a reader opens (what matters here is its first bytes).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# An iPhone photo's first bytes: an ISO box "ftyp" with the HEIC brand.
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
# Paris, 48°51'N 2°21'E: what a phone writes in a photo taken at home.
GPS_LATITUDE = (48.0, 51.0, 0.0)


def picture(kind="PNG", size=(64, 48), colour=(200, 60, 30), mode="RGB", **save) -> bytes:
    image = Image.new(mode, size, colour if mode == "RGB" else (*colour, 128))
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF: the camera, a comment and a GPS position."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = 6  # Orientation: turned 90°
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def png_bomb(side=10_000) -> bytes:
    """A PNG of `side`² pixels of one colour: a few kilobytes that unfold into
    hundreds of megabytes once decoded."""
    image = Image.new("1", (side, side), 0)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
