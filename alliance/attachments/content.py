"""Attached files as bytes (ADR 0026): what a file is, judged by its first bytes and
never by its name nor the type its browser announced; a name safe to store and to send
back; and a picture re-encoded without its metadata (a phone's photo carries where it
was taken: often the person's home), with its thumbnail. Plain Python and Pillow,
tested without a database."""

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"
IMAGES = (JPEG, PNG, WEBP)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp"}
# HEIC/HEIF (an iPhone's photos): recognised only to be refused with a clear word,
# since our Pillow has no HEIF decoder to re-encode it without its metadata.
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")

# A picture of at most 50 million pixels (a 48-megapixel phone sensor fits): beyond,
# decoding it could fill the server's memory (a "decompression bomb": a few kilobytes
# of PNG that unfold into gigabytes).
MAX_PIXELS = 50_000_000
THUMBNAIL_SIDE = 320
NAME_LENGTH = 120


class Refused(Exception):
    """The bytes are not a file we keep; `reason` says which rule refused them."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


UNKNOWN, HEIF, TOO_MANY_PIXELS, BROKEN_IMAGE = "unknown", "heif", "pixels", "broken"


def sniff(head: bytes) -> str | None:
    """The type that the first bytes (16 are enough) show, or None when they are not
    one of ours. HTML, SVG, scripts and archives are all None, whatever their name."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def checked_type(data: bytes) -> str:
    """The sniffed type, or Refused."""
    content_type = sniff(data[:16])
    if content_type is None:
        raise Refused(HEIF if is_heif(data[:16]) else UNKNOWN)
    return content_type


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def clean_name(given: str, content_type: str) -> str:
    """The name the uploader gave, without a folder, control characters or characters
    that a file system or a header would misread, at most 120 characters, and ending
    with the extension of what the file really is (a PDF named photo.jpg becomes
    photo.pdf, so that whoever downloads it opens it with the right program)."""
    name = unicodedata.normalize("NFC", given or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .")
    stem, dot, _ = name.rpartition(".")
    if not dot:
        stem = name
    stem = stem.strip(" .")[: NAME_LENGTH - 6] or "fichier"
    return f"{stem}.{EXTENSIONS[content_type]}"


@dataclass(frozen=True)
class Picture:
    """A picture as we keep it: re-encoded, without metadata, and its thumbnail."""

    data: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes
    thumbnail_type: str


def clean_picture(data: bytes, content_type: str, *, max_pixels: int = MAX_PIXELS) -> Picture:
    """Decodes the picture (refused past `max_pixels`, before its pixels are read),
    turns it the way the camera held it, and encodes it again in its own format with
    nothing but its pixels: no EXIF (place, time, device), no comment, no profile."""
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own limit: both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise Refused(TOO_MANY_PIXELS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise Refused(BROKEN_IMAGE) from None
    image = ImageOps.exif_transpose(image)
    clean = _pixels_only(image, content_type)
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    thumbnail_type = PNG if thumbnail.mode in ("RGBA", "LA") else JPEG
    return Picture(
        data=_encode(clean, content_type),
        content_type=content_type,
        width=clean.width,
        height=clean.height,
        thumbnail=_encode(thumbnail, thumbnail_type),
        thumbnail_type=thumbnail_type,
    )


def _pixels_only(image: Image.Image, content_type: str) -> Image.Image:
    """A new image holding only the pixels: nothing of the file's `info` comes along."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if content_type == JPEG:
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("L", "1") else "RGB")
    converted = image.convert(mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == JPEG:
        image.convert("RGB" if image.mode != "L" else "L").save(out, "JPEG", quality=88)
    elif content_type == WEBP:
        image.save(out, "WEBP", quality=88)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
