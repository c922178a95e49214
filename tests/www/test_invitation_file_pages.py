"""The pages of inviting from a file (issue 14, ADR 0040): upload, review, send or
discard; the facilitator who read the file only; no invitation link ever on the
facilitator's pages; a fixed number of queries whatever the length of the list."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from alliance.collectives import invitation_batches
from alliance.collectives.models import MemberInvitation, MemberInvitationBatch
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/invitations/[A-Za-z0-9_-]{20,}/")


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def circle():
    return make_circle(members=1, seeds=0)


def _csv(*rows):
    return SimpleUploadedFile(
        "liste.csv",
        ("Nom;Courriel;Qualité\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"),
        content_type="text/csv",
    )


def _upload(client, circle, upload, standing="resident"):
    url = reverse("collectives:invite_file", args=[circle.collective.pk])
    return client.post(url, {"file": upload, "default_standing": standing})


def test_upload_review_and_send(client, circle, django_capture_on_commit_callbacks):
    client.force_login(circle.facilitator.user)
    form = client.get(reverse("collectives:invite_file", args=[circle.collective.pk]))
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.content.decode()
    response = _upload(
        client,
        circle,
        _csv(
            "Hélène Éluard;helene@example.org;Habitante",
            f"Déjà là;{circle.members[0].user.email};",
            "Faux;pas-une-adresse;",
            "Encore;HELENE@example.org;",
            "Qui;qui@example.org;Astronaute",
        ),
    )
    assert response.status_code == 302
    batch = MemberInvitationBatch.objects.get()
    review = client.get(response.url)
    html = review.content.decode()
    assert review.status_code == 200
    assert "Will be invited." in html and "Hélène Éluard" in html
    assert "Already a member: nothing is sent." in html
    assert "This is not an email address" in html
    assert "The same address as line 2: invited once." in html
    assert "How they take part is not understood" in html
    assert "Send 1 invitation" in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("collectives:send_invitation_batch", args=[circle.collective.pk, batch.pk])
        )
    assert sent.status_code == 302 and sent.url.endswith("#members")
    detail = client.get(sent.url).content.decode()
    assert "1 invitation is sent." in detail
    assert "helene@example.org" in detail  # among the invitations waiting
    # The link went to Hélène's address only, and no page of the facilitator shows it.
    assert [m.to for m in mail.outbox] == [["helene@example.org"]]
    assert TOKEN.search(mail.outbox[0].body)
    for page in (html, detail, client.get(response.url).content.decode()):
        assert not TOKEN.search(page)
    assert MemberInvitation.objects.filter(email="helene@example.org").count() == 1
    # Sent twice: nothing more is sent.
    again = client.post(
        reverse("collectives:send_invitation_batch", args=[circle.collective.pk, batch.pk])
    )
    assert again.status_code == 400 and "already sent or discarded" in again.content.decode()
    assert MemberInvitation.objects.filter(email="helene@example.org").count() == 1


def test_a_file_that_cannot_be_read_keeps_the_form_with_the_reason(client, circle, settings):
    client.force_login(circle.facilitator.user)
    spreadsheet = SimpleUploadedFile("liste.xlsx", b"PK\x03\x04 a workbook")
    response = _upload(client, circle, spreadsheet)
    assert response.status_code == 400
    assert "This is a spreadsheet, not a CSV file." in response.content.decode()
    response = _upload(client, circle, _csv("A;a@example.org;"), standing="boss")
    assert response.status_code == 400
    settings.ALLIANCE_INVITATION_FILE_MAX_BYTES = 10
    big = SimpleUploadedFile("big.csv", b"x@example.org\n" * 10_000)
    response = _upload(client, circle, big)
    assert response.status_code == 413 and "The file is too large" in response.content.decode()
    assert not MemberInvitationBatch.objects.exists()


def test_another_facilitator_or_member_does_not_reach_the_list(client, circle):
    from alliance.collectives import services

    batch = invitation_batches.prepare_batch(
        by=circle.facilitator, data=b"a@example.org\n", default_standing="other"
    )
    url = reverse("collectives:invitation_batch", args=[circle.collective.pk, batch.pk])
    send = reverse("collectives:send_invitation_batch", args=[circle.collective.pk, batch.pk])
    member = circle.members[0]
    client.force_login(member.user)
    assert client.get(url).status_code == 403
    assert client.post(send).status_code == 403
    services.make_facilitator(by=circle.facilitator, member=member)
    assert client.get(url).status_code == 404
    assert client.post(send).status_code == 404
    assert not MemberInvitation.objects.filter(email="a@example.org").exists()


def test_discarding(client, circle):
    client.force_login(circle.facilitator.user)
    batch = invitation_batches.prepare_batch(
        by=circle.facilitator, data=b"a@example.org\n", default_standing="other"
    )
    response = client.post(
        reverse("collectives:discard_invitation_batch", args=[circle.collective.pk, batch.pk])
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.lines == []
    page = client.get(
        reverse("collectives:invitation_batch", args=[circle.collective.pk, batch.pk])
    )
    assert "This list was discarded" in page.content.decode()


def test_the_review_costs_the_same_for_3_or_300_lines(
    client, circle, django_assert_max_num_queries
):
    client.force_login(circle.facilitator.user)
    counts = []
    for n in (3, 300):
        data = "".join(f"Personne {i};p{n}-{i}@example.org;\n" for i in range(n)).encode()
        batch = invitation_batches.prepare_batch(
            by=circle.facilitator, data=data, default_standing="resident"
        )
        url = reverse("collectives:invitation_batch", args=[circle.collective.pk, batch.pk])
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(14) as captured:
            html = client.get(url).content.decode()
        assert html.count('<li class="batch-line') == n
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
