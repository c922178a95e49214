"""Attached files through the pages (ADR 0026): what the bytes decide, what is
refused and how it is said, how a file is sent back (headers), the trail of every
opening, deletion, and what the pages that list files cost."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from alliance.attachments import services
from alliance.attachments.models import Attachment, AttachmentBytes
from alliance.audit.models import Action, AuditEntry
from tests.attachments.images import HEIC, HTML, PDF, SVG, jpeg_with_gps, picture, png_bomb
from tests.factories import make_alliance_trio

from .scene import URL_KWARGS, acting_objects

pytestmark = pytest.mark.django_db


def _url(name, scene):
    return reverse(name, kwargs=URL_KWARGS[name](scene))


def _send(client, scene, role, data, name, **fields):
    client.force_login(scene.user(role))
    upload = SimpleUploadedFile(name, data, content_type=fields.pop("browser_type", "image/png"))
    return client.post(
        reverse("attachments:files", args=[scene.alliance.pk]), {"file": upload, **fields}
    )


def _kept(scene):
    return Attachment.objects.filter(alliance=scene.alliance)


# ---------------------------------------------------------------- the bytes decide


def test_a_pdf_renamed_jpg_is_kept_as_a_pdf(client, scene):
    response = _send(client, scene, "relative", PDF, "photo.jpg", browser_type="image/jpeg")
    assert response.status_code == 302
    kept = _kept(scene).get()
    assert (kept.content_type, kept.name) == ("application/pdf", "photo.pdf")
    assert bytes(kept.stored.data) == PDF  # a PDF is kept as it was sent
    assert kept.stored.thumbnail is None


def test_a_png_named_pdf_is_kept_as_a_png_with_its_text_alternative(client, scene):
    response = _send(
        client,
        scene,
        "relative",
        picture("PNG"),
        "scan.pdf",
        browser_type="application/pdf",
        alt_text="Un carré rouge.",
    )
    assert response.status_code == 302
    kept = _kept(scene).get()
    assert (kept.content_type, kept.name, kept.alt_text) == (
        "image/png",
        "scan.png",
        "Un carré rouge.",
    )
    assert kept.stored.thumbnail_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "name"), [(HTML, "page.png"), (SVG, "dessin.png"), (SVG, "dessin.svg")]
)
def test_html_and_svg_are_refused_whatever_their_name(client, scene, data, name):
    response = _send(client, scene, "relative", data, name, alt_text="Un dessin.")
    assert response.status_code == 400
    assert "Choisissez un fichier PDF ou une photo (JPEG, PNG ou WebP)" in response.content.decode()
    assert not _kept(scene).exists()
    assert not AuditEntry.objects.filter(action=Action.ATTACHMENT_ADDED).exists()


def test_a_heic_photo_is_refused_with_what_to_do(client, scene):
    response = _send(client, scene, "person", HEIC, "IMG_0001.HEIC", alt_text="Moi.")
    assert response.status_code == 400
    assert "HEIC" in response.content.decode()
    assert not _kept(scene).exists()


def test_a_photo_without_its_text_alternative_is_refused_and_nothing_is_kept(client, scene):
    response = _send(client, scene, "person", picture("JPEG"), "atelier.jpg", description="Ici")
    assert response.status_code == 400
    page = response.content.decode()
    assert "ce que montre cette photo" in page
    assert 'value="Ici"' in page  # the words written stay in the form
    assert not _kept(scene).exists()
    assert not AttachmentBytes.objects.exists()


def test_a_decompression_bomb_is_refused(client, scene):
    response = _send(client, scene, "person", png_bomb(), "bombe.png", alt_text="Rien.")
    assert response.status_code == 400
    assert "trop de pixels" in response.content.decode()
    assert not _kept(scene).exists()


def test_no_file_chosen_is_said(client, scene):
    client.force_login(scene.user("person"))
    response = client.post(reverse("attachments:files", args=[scene.alliance.pk]), {})
    assert response.status_code == 400
    assert "Choisissez un fichier à envoyer" in response.content.decode()


def test_the_photo_kept_has_no_gps_position(client, scene):
    original = jpeg_with_gps()
    _send(client, scene, "person", original, "maison.jpg", alt_text="Ma cuisine.")
    kept = _kept(scene).get()
    download = client.get(reverse("attachments:attachment", args=[scene.alliance.pk, kept.pk]))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert b"PhoneMaker" not in body and b"Exif" not in body
    assert body[:3] == b"\xff\xd8\xff"
    assert kept.sha256 != services.content.sha256(original)


# ---------------------------------------------------------------- size


@override_settings(ALLIANCE_ATTACHMENT_MAX_BYTES=1024)
def test_a_file_past_the_limit_is_refused(client, scene):
    response = _send(client, scene, "relative", PDF + bytes(2000), "gros.pdf")
    assert response.status_code in (400, 413)
    assert "Ce fichier est trop gros" in response.content.decode()
    assert not _kept(scene).exists()


@override_settings(ALLIANCE_ATTACHMENT_MAX_BYTES=1024)
def test_a_body_past_the_limit_is_refused_before_it_is_read(client, scene):
    """Past the limit and the form's room, the body is not read at all (not even by
    the CSRF check): 413 with the reason."""
    response = _send(client, scene, "relative", PDF + bytes(200_000), "gros.pdf")
    assert response.status_code == 413
    assert "Ce fichier est trop gros" in response.content.decode()
    assert not _kept(scene).exists()


def test_a_cross_site_upload_is_refused(scene):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.user("relative"))
    response = client.post(
        reverse("attachments:files", args=[scene.alliance.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not _kept(scene).exists()


# ---------------------------------------------------------------- journal entries


def test_the_author_attaches_a_photo_to_their_entry_and_the_journal_shows_it(client, scene):
    entry = acting_objects(scene).entry
    response = _send(
        client, scene, "person", picture("PNG"), "a.png", alt_text="Le jardin.", entry=entry.pk
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#j{entry.pk}")
    kept = _kept(scene).get()
    assert kept.entry == entry
    client.force_login(scene.user("relative"))
    page = client.get(reverse("acting:journal", args=[scene.alliance.pk])).content.decode()
    preview = reverse("attachments:attachment_preview", args=[scene.alliance.pk, kept.pk])
    assert f'src="{preview}" alt="Le jardin."' in page


def test_nobody_else_attaches_to_an_entry(client, scene):
    entry = acting_objects(scene).entry  # the person's
    response = _send(client, scene, "relative", PDF, "a.pdf", entry=entry.pk)
    assert response.status_code == 403
    assert not _kept(scene).exists()


def test_an_entry_of_another_alliance_is_not_found(client, scene):
    other = make_alliance_trio(title="Une autre")
    from alliance.acting import services as acting

    entry = acting.write_journal_entry(ally=other.person, happened="Ailleurs.")
    response = _send(client, scene, "person", PDF, "a.pdf", entry=entry.pk)
    assert response.status_code == 404
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------- sending a file back


def test_a_download_is_an_attachment_never_cached_never_sniffed(client, scene):
    url = _url("attachments:attachment", scene)
    client.force_login(scene.user("professional_ally"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_thumbnail_is_inline_sandboxed(client, scene):
    url = _url("attachments:attachment_preview", scene)
    client.force_login(scene.user("relative"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_has_no_thumbnail_its_preview_is_the_download(client, scene):
    pdf = services.attach_file(ally=scene.allies["relative"], data=PDF, name="a.pdf")
    client.force_login(scene.user("person"))
    response = client.get(
        reverse("attachments:attachment_preview", args=[scene.alliance.pk, pdf.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "attachments:attachment", args=[scene.alliance.pk, pdf.pk]
    )


def test_a_name_with_accents_downloads_with_its_name(client, scene):
    pdf = services.attach_file(ally=scene.allies["relative"], data=PDF, name="Relevé été.pdf")
    client.force_login(scene.user("person"))
    response = client.get(reverse("attachments:attachment", args=[scene.alliance.pk, pdf.pk]))
    assert "filename*=utf-8''Relev%C3%A9%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]


def test_every_opening_is_in_the_trail_with_the_file_and_its_hash(client, scene):
    url = _url("attachments:attachment", scene)
    kept = scene.files["photo"]
    client.force_login(scene.user("relative"))
    client.get(url)
    client.get(url)
    client.get(_url("attachments:attachment_preview", scene))
    reads = AuditEntry.objects.filter(
        action=Action.ALLIANCE_VIEWED, alliance_id=scene.alliance.pk, actor=scene.user("relative")
    )
    downloads = reads.filter(detail__page="attachment")
    assert downloads.count() == 2
    assert all(
        e.detail["attachment"] == kept.pk and e.detail["sha256"] == kept.sha256 for e in downloads
    )
    assert reads.filter(detail__page="attachment_preview", detail__attachment=kept.pk).count() == 1


# ---------------------------------------------------------------- deleting


def test_the_uploader_deletes_the_bytes_are_erased_and_the_trail_keeps_the_file(client, scene):
    url = _url("attachments:delete", scene)
    kept = scene.files["photo"]
    client.force_login(scene.user("person"))
    assert client.post(url).status_code == 302
    kept.refresh_from_db()
    assert kept.deleted_at is not None and kept.alt_text == ""
    assert not AttachmentBytes.objects.filter(attachment=kept).exists()
    entry = AuditEntry.objects.get(action=Action.ATTACHMENT_DELETED, target_id=kept.pk)
    assert entry.detail["sha256"] == kept.sha256
    assert AuditEntry.objects.filter(action=Action.ATTACHMENT_ADDED, target_id=kept.pk).exists()
    assert (
        client.get(reverse("attachments:attachment", args=[scene.alliance.pk, kept.pk])).status_code
        == 404
    )


def test_the_person_deletes_a_file_someone_else_sent(client, scene):
    pdf = services.attach_file(ally=scene.allies["professional_ally"], data=PDF, name="a.pdf")
    client.force_login(scene.user("person"))
    response = client.post(reverse("attachments:delete", args=[scene.alliance.pk, pdf.pk]))
    assert response.status_code == 302
    pdf.refresh_from_db()
    assert pdf.deleted_by == scene.allies["person"]


def test_another_ally_cannot_delete(client, scene):
    url = _url("attachments:delete", scene)
    client.force_login(scene.user("professional_ally"))
    assert client.post(url).status_code == 403
    assert AttachmentBytes.objects.filter(attachment=scene.files["photo"]).exists()


# ---------------------------------------------------------------- pages


def test_the_files_page_lists_each_file_with_its_entry_uploader_size_and_type(client, scene):
    _url("attachments:attachment", scene)
    services.attach_file(
        ally=scene.allies["professional_ally"],
        data=PDF,
        name="Notification.pdf",
        description="La décision",
    )
    client.force_login(scene.user("relative"))
    client.cookies["reading"] = "standard"
    page = client.get(reverse("attachments:files", args=[scene.alliance.pk])).content.decode()
    assert "Notification.pdf" in page and "La décision" in page
    assert "photo.png" in page and 'alt="Un carré rouge."' in page
    assert scene.user("professional_ally").display_name in page
    assert "PDF" in page and "octets" in page
    assert f"#j{acting_objects(scene).entry.pk}" in page


def test_the_navigation_of_the_alliance_leads_to_its_files(client, scene):
    client.force_login(scene.user("professional_ally"))
    page = client.get(reverse("alliances:charter", args=[scene.alliance.pk])).content.decode()
    assert reverse("attachments:files", args=[scene.alliance.pk]) in page


def _photos(alliance_trio, count):
    for n in range(count):
        services.attach_file(
            ally=alliance_trio.parent,
            data=picture("PNG", colour=(n, 0, 0)),
            name=f"p{n}.png",
            alt_text=f"Photo {n}",
        )


@pytest.mark.parametrize("page", ["attachments:files", "acting:journal"])
def test_the_pages_with_files_cost_the_same_for_one_or_twenty(
    client, django_assert_num_queries, page
):
    from alliance.acting import services as acting

    counts = []
    for count in (1, 20):
        trio = make_alliance_trio(title=f"Avec {count}")
        for n in range(count):
            entry = acting.write_journal_entry(ally=trio.parent, happened=f"Jour {n}")
            services.attach_file(
                ally=trio.parent, entry=entry, data=PDF, name=f"d{n}.pdf", description="x"
            )
        _photos(trio, count)
        client.force_login(trio.parent.user)
        url = reverse(page, args=[trio.alliance.pk])
        assert client.get(url).status_code == 200
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
        assert not any(
            "AttachmentBytes".lower() in q["sql"].lower() for q in captured.captured_queries
        )
    assert counts[0] == counts[1]
    assert counts[0] <= 12
