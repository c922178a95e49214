"""Voice notes as bytes (ADR 0019): what a recording is, judged by its first bytes and
never by the type its browser announced, how long a WAV lasts, and which bytes an
HTTP Range asks for. Plain Python, tested without a database."""

import struct

# Two minutes of speech: Opus in WebM or Ogg (what Chromium and Firefox record) takes
# about 0.5 MB, AAC in MP4 (Safari) about 1 MB; 3 MB leaves room for an MP3 upload.
# A WAV at telephone quality (8 kHz, 16 bits, mono) holds about 3 minutes in 3 MB.
MAX_BYTES = 3 * 1024 * 1024
MAX_SECONDS = 120
# The smallest file that can hold a header and a sound: anything shorter is not audio.
MIN_BYTES = 44

WEBM, OGG, MP4, MPEG, WAV = "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"
ACCEPTED = (WEBM, OGG, MP4, MPEG, WAV)


def sniff(head: bytes) -> str | None:
    """The audio type that the first bytes (64 are enough) show, or None when they are
    not one of ours. A client's Content-Type says nothing: anyone can send any."""
    if head[:4] == b"OggS":
        return OGG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: Matroska, whose WebM profile says so
        return WEBM if b"webm" in head[:64] else None
    if head[4:8] == b"ftyp":  # ISO base media: MP4 and its M4A audio brand
        return MP4
    if head[:3] == b"ID3":  # MP3 with its tags first
        return MPEG
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        # An MPEG audio frame: 11 sync bits, then a layer that is not 00 (00 is AAC's
        # ADTS, which we would serve under the wrong type).
        return MPEG
    return None


def wav_seconds(data: bytes) -> int | None:
    """How long a PCM WAV lasts, from its header (None when the header is unusual):
    the only format whose length we can read without decoding."""
    if sniff(data[:64]) != WAV:
        return None
    position, byte_rate = 12, None
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        body = position + 8
        if chunk == b"fmt ":
            if size < 16 or body + 12 > len(data):
                return None
            (byte_rate,) = struct.unpack("<I", data[body + 8 : body + 12])
        elif chunk == b"data":
            if not byte_rate:
                return None
            return round(min(size, len(data) - body) / byte_rate)
        position = body + size + (size & 1)
    return None


def duration_label(seconds: int | None) -> str:
    """0:42, 1:05: the way a player shows a length."""
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


class UnsatisfiableRange(Exception):
    """The range starts past the end: 416."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) of a `Range: bytes=…` header, or None to
    send the whole file (no header, several ranges, another unit, a malformed one:
    RFC 9110 lets a server ignore a Range it does not support)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, dash, last = header[len("bytes=") :].partition("-")
    first, last = first.strip(), last.strip()
    if not dash or not (first or last):
        return None
    if (first and not first.isdigit()) or (last and not last.isdigit()):
        return None
    if not first:  # bytes=-500: the last 500 bytes
        if int(last) == 0:
            raise UnsatisfiableRange
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    return start, min(end, size - 1)
