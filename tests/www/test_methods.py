"""Every alliance and collective URL with every HTTP method: only GET, HEAD and POST
reach a page (405 with `Allow` otherwise, before the gatekeeper), and every page an
ally is shown in an alliance, whatever the method, is written to its trail."""

import pytest
from django.urls import reverse

from alliance.audit.models import Action, AuditEntry

from .scene import ALLIANCE_AREAS, URL_KWARGS, trail_page, walk_url_names
from .test_permission_matrix import BLANK, POST_DATA, TABLE

pytestmark = pytest.mark.django_db

COLLECTIVE_AREAS = ("collectives:", "results:", "proposals:")
REFUSED = ("put", "patch", "delete", "options")
PAGES = sorted(n for n in walk_url_names() if n.startswith(ALLIANCE_AREAS + COLLECTIVE_AREAS))
# The professional ally is in the alliance and facilitates its collectives: every page
# of both is open to them.
ROLE = "professional_ally"


def _send(client, method, url, name):
    if method == "post":
        return client.post(url, POST_DATA.get(name, BLANK))
    return getattr(client, method)(url)


def _shows_the_alliance(response, scene):
    """A page of the alliance (its navigation links to it), refused or not, or the
    sound of one of its voice notes; a 403 from the refusal page alone shows nothing
    of it."""
    status = response.status_code
    if response.get("Content-Type", "").startswith(("audio/", "application/pdf")):
        return status == 200  # a voice note played (ADR 0019), a document taken (ADR 0024)
    if response.has_header("Content-Disposition"):
        return status == 200  # an attached file or its thumbnail (ADR 0026)
    return status in (200, 400, 403, 409) and f"/alliances/{scene.alliance.pk}/" in (
        response.content.decode()
    )


def _new_entries(before):
    return list(AuditEntry.objects.exclude(pk__in=before).order_by("pk"))


def test_the_walk_finds_the_pages_of_both_areas():
    assert "alliances:charter" in PAGES and "collectives:detail" in PAGES
    assert "results:results" in PAGES and "proposals:detail" in PAGES


@pytest.mark.parametrize("name", PAGES)
def test_only_get_head_and_post_reach_a_page_and_every_page_shown_is_written(client, name, scene):
    user = scene.user(ROLE)
    client.force_login(user)
    url = reverse(name, kwargs=URL_KWARGS[name](scene))
    in_alliance = name.startswith(ALLIANCE_AREAS) and name != "alliances:create"
    kwargs = URL_KWARGS[name](scene)
    in_collective = "collective_id" in kwargs
    expected_get = TABLE[name].get("get", {}).get(ROLE, 405)

    for method in REFUSED:
        before = set(AuditEntry.objects.values_list("pk", flat=True))
        response = _send(client, method, url, name)
        assert response.status_code == 405, method
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert allowed and allowed <= {"GET", "HEAD", "POST"}, method
        assert not _new_entries(before), method

    shown = False
    for method in ("get", "head", "post"):
        before = set(AuditEntry.objects.values_list("pk", flat=True))
        response = _send(client, method, url, name)
        if method == "head":
            assert response.status_code == expected_get
            assert response.content == b""
        new = _new_entries(before)
        if in_collective:
            _assert_collective_read(new, response, method, name, user, kwargs["collective_id"])
        if not in_alliance:
            continue
        status = response.status_code
        # A HEAD answers what a GET would, without the body.
        shown = shown if method == "head" else _shows_the_alliance(response, scene)
        mine = [e for e in new if e.alliance_id == scene.alliance.pk and e.actor_id == user.pk]
        if shown:
            # A page shown: its read, or the entry of the change that it shows.
            assert mine, (method, status)
        if method != "post":
            reads = [e for e in mine if e.action == Action.ALLIANCE_VIEWED]
            assert len(reads) == (1 if shown else 0), method
            for read in reads:
                expected = {"page": trail_page(name)}
                if "attachment_id" in kwargs:  # the file read, named (ADR 0026)
                    expected["attachment"] = kwargs["attachment_id"]
                    expected["sha256"] = scene.files["photo"].sha256
                if method == "head":
                    expected["method"] = "HEAD"
                assert read.detail == expected


def _assert_collective_read(new, response, method, name, user, collective_id):
    """A collective page shown is written once, naming the collective; a POST that saved
    is written by its use case instead."""
    reads = [e for e in new if e.action == Action.COLLECTIVE_VIEWED and e.actor_id == user.pk]
    status = response.status_code
    shown = status in (200, 400, 409)
    saved = method == "post" and status < 400 and len(new) > len(reads)
    assert len(reads) == (1 if shown and not saved else 0), (method, status)
    for read in reads:
        assert (read.target_type, read.detail["page"]) == ("collective", name)
        assert read.target_id == collective_id
        assert read.detail.get("method") == (None if method == "get" else method.upper())


@pytest.mark.parametrize(
    ("name", "kwargs", "data", "page"),
    [
        # A refused change re-shows the charter with the user's words: a read.
        (
            "alliances:charter_edit",
            lambda s: {"alliance_id": s.alliance.pk, "section": "understanding"},
            lambda s: {"revision": 999, "text": "Autre chose."},
            "charter",
        ),
        # A page that only reads, posted to: it shows the same content.
        ("alliances:overview", URL_KWARGS["alliances:overview"], lambda s: BLANK, "overview"),
        ("alliances:trail", URL_KWARGS["alliances:trail"], lambda s: BLANK, "trail"),
        # Writing in someone else's slot is refused, on the review page itself.
        (
            "acting:review_conclusion",
            URL_KWARGS["acting:review_conclusion"],
            lambda s: {"text": "À sa place.", "version": 0},
            "review",
        ),
    ],
)
def test_a_post_that_shows_a_page_without_saving_anything_is_a_read(
    client, name, kwargs, data, page, scene
):
    user = scene.user("relative")
    client.force_login(user)
    url, payload = reverse(name, kwargs=kwargs(scene)), data(scene)
    before = set(AuditEntry.objects.values_list("pk", flat=True))

    response = client.post(url, payload)

    assert _shows_the_alliance(response, scene)
    (entry,) = _new_entries(before)
    assert (entry.action, entry.actor_id, entry.alliance_id) == (
        Action.ALLIANCE_VIEWED,
        user.pk,
        scene.alliance.pk,
    )
    assert entry.detail == {"page": page, "method": "POST"}


def test_a_post_that_saves_is_written_once_by_its_use_case(client, scene):
    client.force_login(scene.user("relative"))
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    url = reverse("alliances:statement_new", args=[scene.alliance.pk])

    response = client.post(url, {"kind": "goal", "text": "Qu'il dorme mieux."})

    assert response.status_code == 302
    assert [e.action for e in _new_entries(before)] == [Action.STATEMENT_WRITTEN]


def test_a_refused_method_says_nothing_of_the_alliance(client, scene):
    statuses = set()
    for role in ("person", "other_org_professional"):
        client.force_login(scene.user(role))
        for alliance_id in (scene.alliance.pk, scene.alliance.pk + 1000):
            url = reverse("alliances:overview", args=[alliance_id])
            statuses |= {client.put(url).status_code, client.options(url).status_code}
    assert statuses == {405}
