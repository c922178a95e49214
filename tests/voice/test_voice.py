"""The bytes of a voice note, without a database (alliance/alliances/voice.py): what
the first bytes say, how long a WAV lasts, which bytes a Range asks for."""

import pytest

from alliance.alliances import voice
from alliance.demo.voice import tone_wav

# EBML header: version 1, then the document type "webm" (what Chromium records).
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
MKV = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"OggS\x00\x02" + b"\x00" * 40, voice.OGG),
        (tone_wav(0.1)[:64], voice.WAV),
        (WEBM, voice.WEBM),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", voice.MP4),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", voice.MPEG),
        (b"\xff\xfb\x90\x64\x00", voice.MPEG),  # an MPEG-1 layer III frame
    ],
)
def test_the_first_bytes_say_what_the_sound_is(head, expected):
    assert voice.sniff(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.7\n",
        b"\x89PNG\r\n\x1a\n",
        MKV,  # Matroska that is not WebM: not one of ours
        b"\xff\xf1\x50\x80",  # AAC in ADTS: would be served as MPEG, which it is not
        b"RIFF\x00\x00\x00\x00AVI LIST",  # RIFF, but a video
        b"GIF89a",
    ],
)
def test_anything_else_is_refused_whatever_its_name(head):
    assert voice.sniff(head) is None


def test_a_wav_says_how_long_it_lasts():
    assert voice.wav_seconds(tone_wav(3.0)) == 3
    assert voice.wav_seconds(tone_wav(0.4)) == 0
    assert voice.wav_seconds(b"OggS" + b"\x00" * 60) is None
    # A header cut short says nothing rather than something false.
    assert voice.wav_seconds(tone_wav(1.0)[:30]) is None


@pytest.mark.parametrize(
    ("seconds", "label"), [(None, ""), (0, "0:00"), (42, "0:42"), (65, "1:05"), (120, "2:00")]
)
def test_a_length_as_a_player_shows_it(seconds, label):
    assert voice.duration_label(seconds) == label


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", (0, 999)),
        ("bytes=0-1", (0, 1)),
        ("bytes=500-", (500, 999)),
        ("bytes=500-5000", (500, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=10-5", None),  # invalid: the whole file
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=a-b", None),
        ("bytes=-", None),
        ("bytes=1-x", None),
    ],
)
def test_a_range_names_the_bytes_to_send(header, expected):
    assert voice.byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(voice.UnsatisfiableRange):
        voice.byte_range(header, 1000)


def test_the_limits_hold_two_minutes_of_what_browsers_record():
    # Opus at 32 kbit/s for two minutes is under 0.5 MB: far under the cap.
    assert 32_000 / 8 * voice.MAX_SECONDS < voice.MAX_BYTES
    assert voice.MAX_SECONDS == 120
