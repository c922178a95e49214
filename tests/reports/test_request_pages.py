"""The pages of a request for a report, the threshold of the report form, the
organisation's address codes and an alliance's planning codes: each refuses bad
input with a clear message and changes nothing, and a stale form is told (409)."""

from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

from alliance.accounts import address, geography
from alliance.alliances import planning_codes
from alliance.alliances.models import Alliance
from alliance.audit.models import Action, AuditEntry
from alliance.reports.models import Report, ReportRequest, ReportRequestAnswer
from tests.factories import OrganisationFactory, UserFactory, make_alliance_trio

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


# ---------------------------------------------------------------- the threshold


@pytest.mark.parametrize(
    ("setting", "floor"), [(5, 5), (2, 5), (8, 8)], ids=["default", "below-5", "raised"]
)
def test_the_report_form_offers_the_floor_and_refuses_below_it(client, setting, floor):
    admin = UserFactory(org_admin=True)
    client.force_login(admin)
    base = {
        "scope_kind": "organisation",
        "organisation": admin.organisation_id,
        "period_start": "2025-07-01",
        "period_end": "2026-06-30",
    }
    with override_settings(ALLIANCE_REPORT_THRESHOLD=setting):
        page = _text(client.get(reverse("reports:create")))
        assert f'value="{floor}"' in page and f"inférieur à {floor}" in page
        refused = client.post(reverse("reports:create"), {**base, "threshold": floor - 1})
        assert refused.status_code == 400
        assert f"au moins {floor} alliances" in _text(refused)
        assert not Report.objects.exists()
        accepted = client.post(reverse("reports:create"), {**base, "threshold": floor})
        assert accepted.status_code == 302
    assert Report.objects.get().threshold == floor


# ---------------------------------------------------------------- requests


@pytest.fixture
def rhone():
    lyon = OrganisationFactory(name="IME de Lyon", territory="69 Rhône")
    OrganisationFactory(name="SESSAD de Vénissieux", territory="69 Rhône")
    return {
        "planner": UserFactory(decision_maker=True, display_name="Pôle planification"),
        "admin": UserFactory(org_admin=True, organisation=lyon, display_name="Anne Directrice"),
        "lyon": lyon,
    }


def _ask_page(client, planner, **overrides):
    client.force_login(planner)
    data = {
        "territory": "69 Rhône",
        "period_start": "2025-07-01",
        "period_end": "2026-06-30",
        "purpose": "Préparer le schéma de l'autonomie.",
        **overrides,
    }
    return client.post(reverse("report_requests:new"), data)


def test_a_decision_maker_asks_from_the_page_and_sees_each_answer(client, rhone):
    response = _ask_page(client, rhone["planner"])
    asked = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_requests:detail", args=[asked.pk])
    page = _text(client.get(response["Location"]))
    assert "IME de Lyon" in page and "SESSAD de Vénissieux" in page
    assert page.count("Pas encore de réponse") == 2 or "0 organisation sur 2" in page

    client.force_login(rhone["admin"])
    listed = _text(client.get(reverse("report_requests:list")))
    assert "Pôle planification" in listed
    answer_url = reverse("report_requests:answer", args=[asked.pk])
    assert "Préparer le schéma" in _text(client.get(answer_url))
    done = client.post(answer_url, {"accept": "1", "words": "Avec plaisir.", "version": "1"})
    assert done.status_code == 302
    again = client.post(answer_url, {"accept": "0", "words": "Non.", "version": "1"})
    assert again.status_code == 409
    assert "entre-temps" in _text(again)

    client.force_login(rhone["planner"])
    page = _text(client.get(reverse("report_requests:detail", args=[asked.pk])))
    assert "Avec plaisir." in page and "1 organisation sur 2 a accepté" in page
    home = _text(client.get(reverse("home")))
    assert reverse("report_requests:list") in home


def test_a_bad_request_keeps_the_words_and_saves_nothing(client, rhone):
    response = _ask_page(client, rhone["planner"], period_end="2025-01-01")
    assert response.status_code == 400
    page = _text(response)
    assert "se terminer après" in page and "Préparer le schéma de l'autonomie." in page
    assert not ReportRequest.objects.exists()


def test_another_organisations_administrator_does_not_find_the_request(client, rhone):
    _ask_page(client, rhone["planner"])
    asked = ReportRequest.objects.get()
    client.force_login(UserFactory(org_admin=True, organisation=OrganisationFactory()))
    assert client.get(reverse("report_requests:answer", args=[asked.pk])).status_code == 404
    client.force_login(UserFactory(decision_maker=True))
    assert client.get(reverse("report_requests:detail", args=[asked.pk])).status_code == 404
    assert ReportRequestAnswer.objects.filter(status="pending").count() == 2


@pytest.mark.parametrize("requests_made", [1, 12])
def test_the_request_pages_cost_the_same_for_few_or_many(
    client, rhone, django_assert_max_num_queries, requests_made
):
    """Ceilings: the session, the second factor for the administrator, the request,
    its answers with their organisations (one query whatever their number)."""
    for _n in range(requests_made):
        _ask_page(client, rhone["planner"])
    asked = ReportRequest.objects.first()
    pages = [
        (rhone["planner"], reverse("report_requests:list"), 8),
        (rhone["planner"], reverse("report_requests:detail", args=[asked.pk]), 9),
        (rhone["admin"], reverse("report_requests:list"), 9),
        (rhone["admin"], reverse("report_requests:answer", args=[asked.pk]), 9),
    ]
    for user, url, ceiling in pages:
        client.force_login(user)
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(ceiling):
            assert client.get(url).status_code == 200


# ---------------------------------------------------------------- the address codes


@pytest.mark.parametrize(
    ("commune", "departement"),
    [("69123", "69"), ("2A004", "2A"), ("97411", "974"), ("", "")],
)
def test_the_departement_follows_from_the_commune(commune, departement):
    assert geography.departement_of(commune) == departement


@pytest.mark.parametrize(
    ("codes", "problems"),
    [
        ({"commune_code": "6912"}, {"commune_code": "commune_format"}),
        ({"commune_code": "20004"}, {"commune_code": "commune_format"}),
        ({"commune_code": "97711"}, {"commune_code": "commune_format"}),
        ({"epci_code": "20004697"}, {"epci_code": "epci_format"}),
        ({"departement_code": "96"}, {"departement_code": "departement_format"}),
        (
            {"commune_code": "69123", "departement_code": "38"},
            {"departement_code": "departement_mismatch"},
        ),
        ({"commune_code": "69123", "epci_code": "200046977", "departement_code": "69"}, {}),
    ],
)
def test_address_codes_are_checked_by_their_form(codes, problems):
    fields = {"commune_code": "", "epci_code": "", "departement_code": "", **codes}
    assert geography.check_address(**fields) == problems


def test_the_administrator_records_the_codes_and_a_stale_form_is_refused(client):
    admin = UserFactory(org_admin=True)
    url = reverse("accounts:organisation_address")
    client.force_login(admin)
    loaded = address.fingerprint(admin.organisation)
    bad = client.post(url, {"commune_code": "Lyon", "seen": loaded})
    assert bad.status_code == 400 and "5 caractères" in _text(bad)
    good = {
        "commune_code": "69 123",
        "commune_name": "Lyon",
        "epci_code": "200046977",
        "epci_name": "Métropole de Lyon",
        "seen": loaded,
    }
    assert client.post(url, good).status_code == 302
    admin.organisation.refresh_from_db()
    assert (admin.organisation.commune_code, admin.organisation.departement_code) == (
        "69123",
        "69",
    )
    assert AuditEntry.objects.filter(action=Action.ORGANISATION_ADDRESS_SET).count() == 1
    stale = client.post(url, {**good, "commune_code": "69266"})
    assert stale.status_code == 409 and "entre-temps" in _text(stale)
    admin.organisation.refresh_from_db()
    assert admin.organisation.commune_code == "69123"


# ---------------------------------------------------------------- planning codes


def test_a_professional_of_the_organisation_sets_the_planning_codes_and_no_one_else(client):
    trio = make_alliance_trio()
    alliance = trio.alliance
    url = reverse("alliances:planning", args=[alliance.pk])
    client.force_login(trio.parent.user)
    assert client.get(url).status_code == 403
    client.force_login(trio.professional.user)
    overview = reverse("alliances:overview", args=[alliance.pk])
    assert "Codes de planification" in _text(client.get(overview))
    seen = planning_codes.seen(alliance)
    bad = client.post(url, {"mdph_orientation": "nowhere", "seen": seen})
    assert bad.status_code == 400
    done = client.post(url, {"mdph_orientation": "ime", "service_type": "sessad", "seen": seen})
    assert done.status_code == 302
    alliance.refresh_from_db()
    assert (alliance.mdph_orientation, alliance.service_type) == ("ime", "sessad")
    # The trail says the codes were recorded, in the alliance's trail, not which ones.
    entry = AuditEntry.objects.get(action=Action.ALLIANCE_PLANNING_SET)
    assert entry.alliance_id == alliance.pk and entry.actor_id == trio.professional.user.pk
    assert "sessad" not in str(entry.detail)
    stale = client.post(url, {"mdph_orientation": "itep", "service_type": "", "seen": seen})
    assert stale.status_code == 409
    assert Alliance.objects.get(pk=alliance.pk).mdph_orientation == "ime"
    # The person's pages never show the codes, nor the way to them.
    client.force_login(trio.person.user)
    page = _text(client.get(overview))
    assert "SESSAD" not in page and url not in page


def test_a_professional_of_another_organisation_may_not_set_the_codes():
    """Being a professional ally is not enough: the codes are the organisation's."""
    from django.core.exceptions import PermissionDenied

    trio = make_alliance_trio()
    trio.professional.user.organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        planning_codes.set_planning_codes(
            ally=trio.professional, mdph_orientation="ime", expected="|"
        )
    assert Alliance.objects.get(pk=trio.alliance.pk).mdph_orientation == ""


def test_the_means_form_saves_a_prestation_code(client):
    from tests.factories import make_signed_charter

    trio = make_alliance_trio()
    statement_id = make_signed_charter(trio).interests.get().statement_id
    url = reverse("acting:means", args=[trio.alliance.pk])
    client.force_login(trio.professional.user)
    page = _text(client.get(url))
    assert "Soins somatiques et psychiques" in page
    data = {"interest": statement_id, "description": "Une place en SESSAD"}
    bad = client.post(url, {**data, "prestation_code": "9.9.9"})
    assert bad.status_code == 400
    assert client.post(url, {**data, "prestation_code": "2.3.3.1"}).status_code == 302
    from alliance.acting.models import MeansOption

    assert MeansOption.objects.get().prestation_code == "2.3.3.1"


def test_the_decision_maker_opens_the_report_once_every_organisation_answered(client):
    organisation = OrganisationFactory(name="IME Les Cèdres", territory="01 Ain")
    admin = UserFactory(org_admin=True, organisation=organisation)
    planner = UserFactory(decision_maker=True)
    _ask_page(client, planner, territory="01 Ain")
    asked = ReportRequest.objects.get()
    client.force_login(admin)
    answer_url = reverse("report_requests:answer", args=[asked.pk])
    assert client.post(answer_url, {"accept": "1", "version": "1"}).status_code == 302
    asked.refresh_from_db()
    report_url = reverse("reports:detail", args=[asked.report.pk])
    # The administrator who accepted does not read the decision maker's report.
    assert client.get(report_url).status_code == 404
    client.force_login(planner)
    page = _text(client.get(reverse("report_requests:detail", args=[asked.pk])))
    assert report_url in page
    response = client.get(report_url)
    assert response.status_code == 200
    assert "01 Ain\u00a0: 1 des 1 organisations sollicitées" in _text(response)
