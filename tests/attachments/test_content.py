"""What a file is, judged by its bytes, and a picture kept without its metadata
(ADR 0026): the pure module, without a database."""

import io

import pytest
from PIL import Image

from alliance.attachments import content

from .images import HEIC, HTML, PDF, SVG, jpeg_with_gps, picture, png_bomb


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, content.PDF),
        (picture("PNG"), content.PNG),
        (picture("JPEG"), content.JPEG),
        (picture("WEBP"), content.WEBP),
        (HTML, None),
        (SVG, None),
        (HEIC, None),
        (b"PK\x03\x04 a zip, or a .docx", None),
        (b"", None),
        (b" %PDF-1.4", None),  # only at the very start
    ],
)
def test_the_bytes_say_what_a_file_is(data, expected):
    assert content.sniff(data[:16]) == expected


def test_an_unknown_file_and_a_heic_photo_are_refused_for_different_reasons():
    with pytest.raises(content.Refused) as svg:
        content.checked_type(SVG)
    with pytest.raises(content.Refused) as heic:
        content.checked_type(HEIC)
    assert svg.value.reason == content.UNKNOWN
    assert heic.value.reason == content.HEIF


@pytest.mark.parametrize(
    ("given", "content_type", "expected"),
    [
        ("bulletin.pdf", content.PDF, "bulletin.pdf"),
        ("photo.jpg", content.PDF, "photo.pdf"),  # a PDF renamed .jpg
        ("scan.pdf", content.PNG, "scan.png"),  # a PNG named .pdf
        ("../../etc/passwd", content.PDF, "passwd.pdf"),
        ("C:\\Users\\Nadia\\Bureau\\relevé.PDF", content.PDF, "relevé.pdf"),
        ('a<b>"c"\x00\n.png', content.PNG, "a b c.png"),
        ("", content.JPEG, "fichier.jpg"),
        ("...", content.JPEG, "fichier.jpg"),
        ("Notification MDPH (exemple).pdf", content.PDF, "Notification MDPH (exemple).pdf"),
    ],
)
def test_a_name_is_cleaned_and_ends_with_what_the_file_is(given, content_type, expected):
    assert content.clean_name(given, content_type) == expected


def test_a_long_name_is_cut():
    name = content.clean_name("a" * 500 + ".pdf", content.PDF)
    assert len(name) <= content.NAME_LENGTH
    assert name.endswith(".pdf")


def test_a_photo_loses_its_exif_and_gps_and_is_turned_the_right_way():
    original = jpeg_with_gps(size=(64, 48))
    assert b"PhoneMaker" in original and b"taken at home" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[1] == "N"
    kept = content.clean_picture(original, content.JPEG)
    assert b"PhoneMaker" not in kept.data
    assert b"taken at home" not in kept.data
    assert b"Exif" not in kept.data
    reopened = Image.open(io.BytesIO(kept.data))
    assert not reopened.getexif()
    assert reopened.getexif().get_ifd(0x8825) == {}
    assert "exif" not in reopened.info and "comment" not in reopened.info
    # Orientation 6: the camera was turned; the kept picture stands as it was seen.
    assert (kept.width, kept.height) == reopened.size == (48, 64)
    assert kept.content_type == content.JPEG


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_other_pictures_lose_their_metadata_too(kind):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = picture(kind, exif=exif)
    assert b"PhoneMaker" in original
    kept = content.clean_picture(original, content.sniff(original[:16]))
    assert b"PhoneMaker" not in kept.data
    assert content.sniff(kept.data[:16]) == content.sniff(original[:16])


def test_a_transparent_png_keeps_its_transparency_and_gets_a_png_thumbnail():
    kept = content.clean_picture(picture("PNG", mode="RGBA"), content.PNG)
    assert Image.open(io.BytesIO(kept.data)).mode == "RGBA"
    assert kept.thumbnail_type == content.PNG


def test_the_thumbnail_is_at_most_320_pixels():
    kept = content.clean_picture(picture("JPEG", size=(1600, 900)), content.JPEG)
    thumbnail = Image.open(io.BytesIO(kept.thumbnail))
    assert thumbnail.size == (320, 180)
    assert kept.thumbnail_type == content.JPEG


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    bomb = png_bomb(10_000)  # 100 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(content.Refused) as refused:
        content.clean_picture(bomb, content.PNG)
    assert refused.value.reason == content.TOO_MANY_PIXELS


def test_the_pixel_limit_is_the_one_given():
    with pytest.raises(content.Refused):
        content.clean_picture(picture("PNG", size=(100, 100)), content.PNG, max_pixels=9_999)
    assert content.clean_picture(picture("PNG", size=(100, 100)), content.PNG, max_pixels=10_000)


def test_a_damaged_picture_is_refused():
    broken = picture("PNG")[:40]
    with pytest.raises(content.Refused) as refused:
        content.clean_picture(broken, content.PNG)
    assert refused.value.reason == content.BROKEN_IMAGE


def test_the_hash_is_sha256():
    assert content.sha256(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
