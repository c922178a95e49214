"""Every page of the product on a 360 px phone, with the demo's data (issue 12): no
page taller than 15,000 px (a long list is paged or summarised), no sideways
scrolling of the page (a wide table may scroll inside a region the keyboard reaches),
and no word broken inside across two lines ("Habit / ant" in a table cell).

WALKS names each page, as whom; a person's page is read in easy-read and in the usual
mode. NOT_WALKED names every other page that answers a GET, and why. A page that
only answers a POST (the permission matrix has no "get" row for it) needs neither.
A new URL name in none of them fails `test_every_page_is_walked_or_excluded`, so a
page is checked on a phone from the day it exists. The measure itself is in
phone_layout.js, beside this file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.www.test_easy_read import url_names
from tests.www.test_permission_matrix import TABLE

WIDTH, HEIGHT = 360, 780
MAX_HEIGHT = 15_000
MEASURE = (Path(__file__).parent / "phone_layout.js").read_text()

SAMIR, NOE, FATOU = "personne-samir", "personne-noe", "habitante-fatou"
LEA, NADIA = "parent-lea", "proche-nadia"
THIERRY, HELENE = "pro-thierry", "pro-helene"
KARIMA, SOPHIE = "animatrice-karima", "admin-sophie"
MAIRIE, CLAIRE = "decideur-mairie", "decideur-claire"
ANONYMOUS = None
# Who reads a page in easy-read too: the persons (issue 11, DESIGN.md §4 rule 7).
PERSONS = {SAMIR, NOE, FATOU, LEA, NADIA}


@dataclass(frozen=True)
class Walk:
    name: str  # the URL name
    who: str | None  # a demo persona, or None: anonymous
    args: str = ""  # a key of ARGS: the demo objects the URL names
    query: str = ""

    @property
    def id(self):
        return f"{self.name}[{self.who or 'anonymous'}]"


def _alliance_pages(who, *names):
    return [Walk(name, who, "samir_alliance") for name in names]


WALKS = [
    Walk("home", ANONYMOUS),
    Walk("home", SAMIR),
    Walk("home", FATOU),
    Walk("home", HELENE),
    Walk("home", KARIMA),
    Walk("home", SOPHIE),
    Walk("home", CLAIRE),
    Walk("about:about", ANONYMOUS),
    Walk("about:words", ANONYMOUS),
    Walk("accounts:sign_in", ANONYMOUS),
    Walk("accounts:activate", ANONYMOUS),
    Walk("accounts:settings", SAMIR),
    Walk("accounts:password", SAMIR),
    Walk("accounts:sessions", SAMIR),
    Walk("privacy:mine", SAMIR),
    Walk("rights:page", SAMIR),
    Walk("rights:page", LEA),
    Walk("accounts:professionals", SOPHIE),
    Walk("accounts:api_clients", SOPHIE),
    Walk("mfa:devices", HELENE),
    Walk("mfa:setup", HELENE),
    Walk("mfa:passkeys", HELENE),
    Walk("mfa:reauthenticate", HELENE),
    Walk("notifications:list", SAMIR),
    Walk("notifications:list", FATOU),
    Walk("notifications:list", KARIMA),
    Walk("notifications:preferences", SAMIR),
    # Movement 1 and 2: Samir's alliance, the demo's longest history.
    *_alliance_pages(
        SAMIR,
        "alliances:overview",
        "alliances:words",
        "alliances:agree",
        "alliances:statement_new",
        "alliances:asymmetries",
        "alliances:charter",
        "alliances:recognition",
        "alliances:positions",
        "alliances:trail",
        "alliances:invite",
        "acting:means",
        "acting:actions",
        "acting:journal",
        "acting:weather",
        "acting:indicators",
        "acting:reviews",
        "linking:solidarity",
        # Issue 12: what changed in the charter, the files, the papers, the meetings.
        "alliances:charter_diff",
        "attachments:files",
        "documents:list",
        "meetings:list",
        # Issue 13: sharing with the establishment's file.
        "interop:dui",
        "meetings:new",
    ),
    Walk("meetings:detail", SAMIR, "samir_meeting"),
    Walk("meetings:edit", SAMIR, "samir_meeting"),
    Walk("closing:page", THIERRY, "samir_alliance"),
    Walk("caseload:list", HELENE),
    Walk("caseload:handover", HELENE),
    Walk("alliances:statement", SAMIR, "samir_statement"),
    Walk("alliances:statement_edit", SAMIR, "samir_own_statement"),
    Walk("alliances:statement_voice_record", SAMIR, "samir_own_statement"),
    Walk("alliances:charter_version", SAMIR, "samir_charter"),
    Walk("alliances:remove_ally", SAMIR, "samir_other_ally"),
    Walk("acting:journal_edit", SAMIR, "samir_own_entry"),
    Walk("acting:journal_voice_record", SAMIR, "samir_own_entry"),
    Walk("acting:review", SAMIR, "samir_review"),
    Walk("alliances:trail", THIERRY, "samir_alliance"),
    Walk("alliances:leave", NADIA, "samir_alliance"),
    Walk("alliances:mandate", LEA, "noe_alliance"),
    Walk("alliances:create", HELENE),
    Walk("interop_import:upload", HELENE),
    # Movement 3: the neighbourhood's 302 members, its consultation, its request.
    Walk("collectives:list", FATOU),
    Walk("collectives:create", KARIMA),
    Walk("collectives:detail", FATOU, "neighbourhood"),
    Walk("collectives:detail", KARIMA, "neighbourhood"),
    Walk("collectives:detail", SAMIR, "workshop"),
    Walk("collectives:add_member", KARIMA, "neighbourhood"),
    Walk("collectives:invite_file", KARIMA, "neighbourhood"),
    Walk("collectives:consultation_create", KARIMA, "neighbourhood"),
    Walk("collectives:consultation", FATOU, "consultation"),
    Walk("collectives:consultation", KARIMA, "consultation"),
    Walk("collectives:statement_new", FATOU, "consultation"),
    Walk("collectives:vote", FATOU, "consultation"),
    Walk("collectives:moderation", KARIMA, "consultation"),
    Walk("results:results", FATOU, "consultation"),
    Walk("results:results", KARIMA, "consultation"),
    Walk("results:poster", FATOU, "consultation"),
    Walk("results:common_ground", FATOU, "consultation"),
    Walk("results:divisive", FATOU, "consultation"),
    Walk("results:adopt", KARIMA, "common_ground_statement"),
    Walk("results:interests", KARIMA, "neighbourhood"),
    # Results as a report (issue 14): a group's page, and its description by Karima.
    Walk("results:group", FATOU, "described_group"),
    Walk("results:describe_group", KARIMA, "described_group"),
    Walk("proposals:collective", FATOU, "neighbourhood"),
    Walk("proposals:collective", KARIMA, "neighbourhood"),
    Walk("proposals:detail", FATOU, "proposal"),
    Walk("proposals:detail", KARIMA, "proposal"),
    Walk("proposals:inbox", MAIRIE),
    Walk("proposals:received", MAIRIE, "proposal"),
    Walk("proposals:public", ANONYMOUS, "public_key"),
    # Follow-through (ADR 0038): the town hall's answer and progress, Fatou's reaction.
    Walk("proposals:answer_request", MAIRIE, "proposal_request"),
    Walk("proposals:progress", MAIRIE, "proposal"),
    Walk("proposals:react", FATOU, "proposal_answer"),
    Walk("reports:list", SOPHIE),
    Walk("reports:create", SOPHIE),
    Walk("reports:detail", SOPHIE, "report"),
    Walk("reports:detail", CLAIRE, "report"),
    # Requests for a report and planning codes (issue 14).
    Walk("report_requests:list", CLAIRE),
    Walk("report_requests:list", SOPHIE),
    Walk("report_requests:new", CLAIRE),
    Walk("report_requests:detail", CLAIRE, "report_request"),
    Walk("report_requests:answer", SOPHIE, "report_request"),
    Walk("accounts:organisation_address", SOPHIE),
    Walk("alliances:planning", THIERRY, "samir_alliance"),
]

SECRET = "reached only with a secret sent to someone (a link, a code in a letter)"
NOT_A_PAGE = "not an HTML page (a file, JSON, a sound, a redirect or a probe)"

NOT_WALKED = {
    "interop_import:review": "shows a DUI bundle read into the session by the upload: "
    "its layout is the upload's, with fieldsets (tests/interop/test_import.py)",
    "accounts:activate_choose": SECRET,
    "accounts:sign_in_link": SECRET,
    "invitations:open": SECRET,
    "accounts:proconnect_start": "a redirect to ProConnect",
    "accounts:proconnect_callback": "ProConnect's answer, with its one-time code",
    "mfa:verify": "a session whose second factor is not verified yet redirects elsewhere",
    "alliances:letter": "a letter for an ally who never signed in: the demo has none whose "
    "professional may print it (tests/browser/test_activation.py prints one)",
    "alliances:letter_sms": "the same letter, by text message: see alliances:letter",
    "alliances:reissue": "a new access for an ally who lost theirs: see alliances:letter",
    "alliances:letter_pdf": NOT_A_PAGE,
    "alliances:statement_voice": NOT_A_PAGE,
    "acting:journal_voice": NOT_A_PAGE,
    "reports:export": NOT_A_PAGE,
    "results:export": NOT_A_PAGE,
    "results:report_pdf": NOT_A_PAGE,
    "metrics": NOT_A_PAGE,
    "operations:healthz": NOT_A_PAGE,
    "operations:readyz": NOT_A_PAGE,
    "otp_webauthn:js-i18n-catalog": NOT_A_PAGE,
    "notifications:failed_deliveries": "nobody of the demo is an operator who reads it",
    "accounts:calendar_feed": NOT_A_PAGE,
    "attachments:attachment": NOT_A_PAGE,
    "attachments:attachment_preview": NOT_A_PAGE,
    "documents:download": NOT_A_PAGE,
    "privacy:download": NOT_A_PAGE,
    "interop:export": NOT_A_PAGE,
    "collectives:invitation_batch": "a list read from a file, which the demo never leaves "
    "waiting: walked at 360 px by tests/browser/test_bulk_invitation.py",
}


def _answers_get(name):
    rows = TABLE.get(name)
    return rows is None or "get" in rows


def test_every_page_is_walked_or_excluded_with_a_reason():
    walked = {walk.name for walk in WALKS}
    assert not walked & set(NOT_WALKED), "both walked and excluded"
    pages = {name for name in url_names() if _answers_get(name)} - {"set_language"}
    new = sorted(pages - walked - set(NOT_WALKED))
    assert not new, (
        "Pages neither walked on a phone nor excluded with a reason: add each to WALKS "
        "(as whom reaches it, with its demo objects in ARGS) or to NOT_WALKED:\n" + "\n".join(new)
    )
    gone = sorted((walked | set(NOT_WALKED)) - url_names())
    assert not gone, "Named here but no longer a URL of the product:\n" + "\n".join(gone)


# ------------------------------------------------------------------ the demo's objects


def _person(slug):
    from alliance.alliances.models import Ally, Role

    return Ally.objects.select_related("alliance").get(user__demo_persona=slug, role=Role.PERSON)


def _samir_statement(own):
    from alliance.alliances.models import Statement

    person = _person(SAMIR)
    live = Statement.objects.filter(alliance=person.alliance, withdrawn_at=None).order_by("pk")
    statement = (live.filter(author=person) if own else live.exclude(author=person)).first()
    return [person.alliance_id, statement.pk]


def _samir_entry():
    from alliance.acting.models import JournalEntry

    person = _person(SAMIR)
    entry = JournalEntry.objects.filter(author=person).order_by("pk").first()
    return [person.alliance_id, entry.pk]


def _samir_review():
    from alliance.acting.models import Review

    person = _person(SAMIR)
    return [person.alliance_id, Review.objects.filter(alliance=person.alliance).latest("pk").pk]


def _samir_meeting():
    from alliance.acting.models import Meeting

    person = _person(SAMIR)
    meeting = Meeting.objects.filter(alliance=person.alliance).order_by("-starts_at").first()
    return [person.alliance_id, meeting.pk]


def _samir_charter():
    from alliance.alliances.models import Charter

    person = _person(SAMIR)
    return [person.alliance_id, Charter.objects.filter(alliance=person.alliance).first().number]


def _samir_other_ally():
    from alliance.alliances.models import Ally

    person = _person(SAMIR)
    other = (
        Ally.objects.filter(alliance=person.alliance, status=Ally.Status.ACTIVE)
        .exclude(pk=person.pk)
        .order_by("pk")
        .first()
    )
    return [person.alliance_id, other.pk]


def _collective(slug):
    from alliance.collectives.models import Collective

    return Collective.objects.get(members__user__demo_persona=slug)


def _consultation():
    from alliance.collectives.models import Consultation

    collective = _collective(FATOU)
    consultation = (
        Consultation.objects.filter(collective=collective)
        .exclude(status=Consultation.Status.DRAFT)
        .latest("pk")
    )
    return [collective.pk, consultation.pk]


def _common_ground_statement():
    from alliance.collectives.models import OpinionSnapshot

    collective_id, consultation_id = _consultation()
    snapshot = OpinionSnapshot.objects.filter(
        consultation_id=consultation_id, status=OpinionSnapshot.Status.DONE
    ).latest("pk")
    return [collective_id, consultation_id, snapshot.result["common_ground"][0]]


def _described_group():
    """The group of the Bellevue results that Karima described (the demo)."""
    from alliance.collectives.models import GroupDescription

    collective_id, consultation_id = _consultation()
    group = GroupDescription.objects.get(consultation_id=consultation_id).group
    return [collective_id, consultation_id, group]


def _proposal():
    from alliance.reports.models import Proposal

    return [Proposal.objects.filter(collective=_collective(FATOU)).get().pk]


def _report_request():
    from alliance.reports.models import ReportRequest

    # Claire's, still waiting for the ESAT: Sophie may answer it.
    return [ReportRequest.objects.get(requested_by__demo_persona=CLAIRE).pk]


def _proposal_request():
    from alliance.reports.models import ProposalRequest

    proposal = _proposal()[0]
    return [ProposalRequest.objects.filter(proposal_id=proposal).order_by("position")[0].pk]


def _proposal_answer():
    from alliance.reports.models import RequestAnswer

    proposal = _proposal()[0]
    return [RequestAnswer.objects.filter(request__proposal_id=proposal).order_by("pk")[0].pk]


def _report():
    from alliance.reports.models import Report

    return [Report.objects.filter(status=Report.Status.READY).order_by("pk").first().pk]


ARGS = {
    "samir_alliance": lambda: [_person(SAMIR).alliance_id],
    "noe_alliance": lambda: [_person(NOE).alliance_id],
    "samir_statement": lambda: _samir_statement(own=False),
    "samir_own_statement": lambda: _samir_statement(own=True),
    "samir_own_entry": _samir_entry,
    "samir_review": _samir_review,
    "samir_charter": _samir_charter,
    "samir_meeting": _samir_meeting,
    "samir_other_ally": _samir_other_ally,
    "workshop": lambda: [_collective(SAMIR).pk],
    "neighbourhood": lambda: [_collective(FATOU).pk],
    "consultation": _consultation,
    "common_ground_statement": _common_ground_statement,
    "described_group": _described_group,
    "proposal": _proposal,
    "proposal_request": _proposal_request,
    "proposal_answer": _proposal_answer,
    "public_key": lambda: [_collective(FATOU).public_key],
    "report": _report,
    "report_request": _report_request,
}


def test_every_walk_names_its_objects():
    missing = sorted({walk.args for walk in WALKS if walk.args} - set(ARGS))
    assert not missing, f"WALKS names objects ARGS cannot find: {missing}"


# ------------------------------------------------------------------ the walk


def problems_of(measure) -> list[str]:
    found = []
    if measure["height"] > MAX_HEIGHT:
        found.append(f"{measure['height']} px tall (at most {MAX_HEIGHT}): page or summarise")
    if measure["width"] > WIDTH:
        found.append(f"{measure['width']} px wide: the page scrolls sideways")
    if measure["unreachableScrolls"]:
        regions = ", ".join(measure["unreachableScrolls"])
        found.append(f"scrolls sideways where the keyboard cannot: {regions}")
    if measure["brokenWords"]:
        found.append("words broken across two lines: " + ", ".join(measure["brokenWords"]))
    if measure["rawValues"]:
        found.append("shows raw values instead of words: " + ", ".join(measure["rawValues"]))
    return found


# Defects the walk finds that are not fixed yet: walk id and reading -> the start of the
# problem. Each stays expected until fixed; then the test says so and its line goes.
# Empty since issue 12: every page walked fits a phone.
KNOWN_ELSEWHERE: dict[tuple[str, str], str] = {}


def _known(walk, reading, problem):
    start = KNOWN_ELSEWHERE.get((walk.id, reading))
    return start is not None and problem.startswith(start)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reading", ["standard", "easy"])
def test_every_page_fits_a_phone_at_demo_size(new_context, reading, record_property):
    from alliance.accounts.models import User

    call_command("demo", stdout=None)
    walks = [w for w in WALKS if reading == "standard" or w.who in PERSONS]
    pages = {}
    failures = []
    heights = []
    seen = set()
    for walk in walks:
        if walk.who not in pages:
            user = User.objects.get(demo_persona=walk.who) if walk.who else None
            page = new_context(user, reading=reading if user else None).new_page()
            page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            pages[walk.who] = page
        page = pages[walk.who]
        url = reverse(walk.name, args=ARGS[walk.args]() if walk.args else []) + walk.query
        response = page.goto(url)
        if response is None or response.status != 200:
            status = response.status if response else "nothing"
            failures.append(f"{walk.id} {url}: answered {status}")
            continue
        measure = page.evaluate(MEASURE)
        heights.append(f"{walk.id}: {measure['height']}")
        for problem in problems_of(measure):
            if _known(walk, reading, problem):
                seen.add((walk.id, reading))
            else:
                failures.append(f"{walk.id} {url}: {problem}")
    # The heights, for whoever reads the report (`pytest -s` prints them too).
    record_property("heights", "; ".join(heights))
    print(f"\nHeights at {WIDTH} px ({reading}):\n" + "\n".join(heights))
    fixed = sorted(key for key in KNOWN_ELSEWHERE if key[1] == reading and key not in seen)
    failures += [
        f"{walk_id}: no longer {KNOWN_ELSEWHERE[walk_id, r]!r}, remove it from KNOWN_ELSEWHERE"
        for walk_id, r in fixed
    ]
    assert not failures, f"On a {WIDTH} px phone ({reading}):\n" + "\n".join(failures)
