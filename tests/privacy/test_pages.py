"""The "my data" pages: counts, one click for the archive, the download gate, the
representative's button, and a 404 for everybody else."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from alliance.audit.models import Action, AuditEntry
from alliance.privacy.models import DataArchive
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    return trio


def test_my_data_counts_what_the_register_finds(client, trio):
    client.force_login(trio.parent.user)  # reads the standard pages
    response = client.get(reverse("privacy:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    # The parent voted on the common ground and signed the charter, once each.
    assert "<td>Mes votes</td><td>1</td>" in page
    assert "<td>Ce que j&#x27;ai signé</td><td>1</td>" in page
    assert "no-store" in response["Cache-Control"]


def test_one_click_then_download_then_nobody_else(client, trio):
    person = trio.person.user
    client.force_login(person)
    response = client.post(reverse("privacy:request"))
    assert response.status_code == 302
    archive = DataArchive.objects.get(subject=person)
    url = reverse("privacy:download", args=[archive.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="alliance-donnees-')
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action=Action.DATA_ARCHIVE_DOWNLOADED, actor=person).exists()
    assert AuditEntry.objects.filter(action=Action.DATA_ARCHIVE_REQUESTED, actor=person).exists()
    for other in (trio.parent.user, trio.professional.user, UserFactory(org_admin=True)):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_the_representative_asks_for_the_person_and_a_professional_cannot(client, trio):
    person = trio.person.user
    client.force_login(trio.parent.user)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert person.display_name in page
    response = client.post(reverse("privacy:request"), {"subject": person.pk})
    assert response.status_code == 302
    archive = DataArchive.objects.get(subject=person)
    assert archive.requested_by == trio.parent.user
    assert archive.alliance_ids == [trio.alliance.pk]
    client.force_login(trio.professional.user)
    assert client.post(reverse("privacy:request"), {"subject": person.pk}).status_code == 404
    assert client.post(reverse("privacy:request"), {"subject": "x"}).status_code == 404
    assert DataArchive.objects.count() == 1


def test_a_second_click_while_one_is_prepared_says_so(client, trio, monkeypatch):
    from alliance.privacy import services

    monkeypatch.setattr(services, "make_archive_task", SimpleNamespace(enqueue=lambda pk: None))
    client.force_login(trio.person.user)
    client.post(reverse("privacy:request"))
    response = client.post(reverse("privacy:request"), follow=True)
    assert DataArchive.objects.count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("already" in m or "déjà" in m for m in messages)


# Whatever the size: the session and the reader, the people they represent, their
# archives, the counts of every kind of the register (one query, a subquery per
# kind), and what every page's header reads.
MY_DATA_QUERIES = 7


def test_my_data_costs_the_same_for_a_little_or_a_lot(client, django_assert_num_queries):
    from alliance.alliances import services as alliance_services
    from alliance.privacy import services

    small = make_alliance_trio(title="Petite")
    large = make_alliance_trio(title="Grande")
    make_signed_charter(large)
    for n in range(20):
        alliance_services.write_statement(ally=large.parent, kind="goal", text=f"But {n}")
    for trio in (small, large):
        client.force_login(trio.parent.user)
        client.get(reverse("privacy:mine"))  # warm the session
        if trio is large:
            services.request_archive(requester=trio.parent.user, subject=trio.parent.user)
            services.request_archive(requester=trio.parent.user, subject=trio.person.user)
        with django_assert_num_queries(MY_DATA_QUERIES):
            assert client.get(reverse("privacy:mine")).status_code == 200
