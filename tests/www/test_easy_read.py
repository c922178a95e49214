"""Every page a person uses, in easy-read mode, with the demo: no sentence of more than
15 words, at most 200 words in <main> outside `<details class="more">`, no word of
the jargon list, no point médian, every picture with its text alternative or its word
(alliance/readability.py says how a page is read; issue 11, DESIGN.md §4 rule 7);
and Noé, who is 9, is never told "vous".

Each page is one test that lists ALL its violations at once. PAGES names the pages
checked, as whom; NOT_CHECKED names every other page of the product and why. A new
URL name in neither fails `test_every_page_is_checked_or_excluded_with_a_reason`:
a page a person can reach is checked from the day it exists.

The allies' own words are theirs: an easy template marks them `data-user-text` (on
the element that holds them), and only their length counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance import readability

JARGON_FILE = Path(__file__).resolve().parents[2] / "alliance" / "www" / "easy_read" / "jargon.txt"

SAMIR, NOE, FATOU = "personne-samir", "personne-noe", "habitante-fatou"
ANONYMOUS = None


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    who: str | None  # a demo persona, or None: anonymous
    args: str = ""  # what `Demo.args` gives for the URL's arguments
    query: str = ""

    @property
    def id(self):
        return f"{self.name}[{self.who or 'anonymous'}]"


def _both(name, args="alliance"):
    return [Page(name, SAMIR, args), Page(name, NOE, args)]


PAGES = [
    Page("home", SAMIR),
    Page("home", NOE),
    Page("notifications:list", SAMIR),
    Page("notifications:list", NOE),
    # Movement 1: the alliance, my words and votes, our agreement, how we walk together.
    *_both("alliances:overview"),
    *_both("alliances:words"),  # "Ce qui compte pour moi"
    *_both("alliances:agree"),  # "On est d'accord ?"
    *_both("alliances:statement_new"),
    *_both("alliances:statement", "statement"),
    *_both("alliances:statement_edit", "own_statement"),
    *_both("alliances:statement_voice_record", "own_statement"),  # my voice on my message
    *_both("alliances:asymmetries"),
    *_both("alliances:charter"),
    *_both("alliances:charter_version", "charter_version"),
    *_both("alliances:charter_diff"),  # what changed in our agreement
    *_both("alliances:recognition"),
    *_both("alliances:positions"),
    *_both("alliances:trail"),
    # An adult may invite and remove allies; a child has no such button (and no page).
    Page("alliances:invite", SAMIR, "alliance"),
    Page("alliances:remove_ally", SAMIR, "other_ally"),
    # Closing the alliance (issue 12): "Do we stop the alliance?"
    *_both("closing:page"),
    # Movement 2: solutions, actions, the journal, the weather, things we follow, check-ups.
    *_both("acting:means"),
    *_both("acting:actions"),
    *_both("acting:journal"),
    Page("acting:journal_edit", SAMIR, "own_journal_entry"),  # Noé wrote none in the demo
    Page("acting:journal_voice_record", SAMIR, "own_journal_entry"),
    *_both("acting:weather"),
    *_both("acting:indicators"),
    *_both("acting:reviews"),
    Page("acting:review", SAMIR, "review"),  # Noé's alliance had no check-up yet
    *_both("documents:list"),  # "Nos papiers": the project and check-ups to print
    # The file of the establishment (issue 13): the person says yes or stop.
    *_both("interop:dui"),
    # Meetings (issue 12): our meetings, the next one (when, where, who comes, what to
    # bring), planning and changing one.
    *_both("meetings:list"),
    *_both("meetings:detail", "meeting"),
    Page("meetings:new", SAMIR, "alliance"),
    Page("meetings:edit", SAMIR, "meeting"),
    # Our files (ADR 0026): Samir's photo on his journal entry, the example notification.
    *_both("attachments:files"),
    # Movement 3: Samir's group at the ESAT, its question, the ballot, the results.
    Page("collectives:list", SAMIR),
    Page("collectives:detail", SAMIR, "collective"),
    Page("collectives:consultation", SAMIR, "consultation"),
    Page("collectives:vote", SAMIR, "consultation"),
    Page("collectives:statement_new", SAMIR, "consultation"),
    Page("results:results", SAMIR, "consultation"),
    Page("results:poster", SAMIR, "consultation"),
    Page("proposals:collective", SAMIR, "collective"),
    # Fatou co-signs her neighbourhood's request to the town hall.
    Page("collectives:list", FATOU),
    Page("collectives:detail", FATOU, "neighbourhood"),
    Page("proposals:collective", FATOU, "neighbourhood"),
    Page("proposals:detail", FATOU, "proposal"),
    # She says what she thinks of the town hall's answer to one request.
    Page("proposals:react", FATOU, "proposal_answer"),
    Page("results:results", FATOU, "neighbourhood_consultation"),
    # How one opinion group voted (issue 14): the group Karima described.
    Page("results:group", FATOU, "neighbourhood_group"),
    # The whole of each list, a page at a time.
    Page("results:common_ground", FATOU, "neighbourhood_consultation"),
    Page("results:divisive", FATOU, "neighbourhood_consultation"),
    # Signing in and activating the account with the letter, before anyone is known.
    Page("accounts:sign_in", ANONYMOUS),
    Page("accounts:activate", ANONYMOUS),
    Page("accounts:activate_choose", "activated-yvette"),
    # About Alliance and its words, for anyone.
    Page("about:about", ANONYMOUS),
    Page("about:about", NOE),
    Page("about:words", ANONYMOUS),
    # The reading settings (the foundation of issue 11).
    Page("accounts:settings", SAMIR),
    Page("accounts:settings", NOE),
    # A person's data (issue 13): "Mes données".
    Page("privacy:mine", SAMIR),
    Page("privacy:mine", NOE),
    # Data rights (issue 13, ADR 0033): erase or freeze, from the settings.
    Page("rights:page", SAMIR),
    Page("rights:page", NOE),
]

POST_ONLY = "a POST that answers with a redirect or an htmx fragment of a page checked here"
NOT_A_PAGE = "not an HTML page (a file, JSON, a redirect or a probe)"
NOT_A_PERSON = "a person never reaches it (professionals, admins, decision makers)"
FOLLOW_UP = "a person can reach it, but issue 11 does not list it: its easy version is a follow-up"

NOT_CHECKED = {
    # caseload (issue 12)
    "caseload:list": NOT_A_PERSON,
    "caseload:handover": NOT_A_PERSON,
    "closing:answer": POST_ONLY,
    # accounts
    "accounts:sign_in_code": POST_ONLY,
    "accounts:request_code": POST_ONLY,
    "accounts:sign_in_link": NOT_A_PAGE,
    "accounts:sign_in_demo": POST_ONLY,
    "accounts:proconnect_start": NOT_A_PERSON,
    "accounts:proconnect_callback": NOT_A_PERSON,
    "accounts:sign_out": POST_ONLY,
    "accounts:activate_device": POST_ONLY,
    "accounts:activate_password": POST_ONLY,
    "accounts:revoke_device": POST_ONLY,
    "accounts:password": FOLLOW_UP,
    "accounts:sessions": FOLLOW_UP,
    "accounts:end_session": POST_ONLY,
    "accounts:end_other_sessions": POST_ONLY,
    "accounts:professionals": NOT_A_PERSON,
    "accounts:professional_active": NOT_A_PERSON,
    # The API's credentials (ADR 0029): tokens are for integrators, so the easy
    # settings page leaves them out (tests/api/test_tokens_pages.py checks it stays valid).
    "accounts:api_token_make": POST_ONLY,
    "accounts:api_token_revoke": POST_ONLY,
    "accounts:api_clients": NOT_A_PERSON,
    "accounts:api_client_revoke": NOT_A_PERSON,
    "rights:remove_professional": NOT_A_PERSON,
    "accounts:reading_switch": POST_ONLY,
    # alliances
    "alliances:create": NOT_A_PERSON,
    "alliances:join": POST_ONLY,
    "alliances:decide": POST_ONLY,
    "alliances:letter": "an activation letter a professional prints for someone else",
    "alliances:letter_sms": "an activation letter a professional sends for someone else",
    "alliances:letter_pdf": NOT_A_PAGE,
    "alliances:reissue": "a new access a professional or a close one hands over",
    "alliances:leave": "the person of an alliance cannot leave it: the others leave",
    "alliances:mandate": "the legal representative's page, about the person",
    "alliances:withdraw_invitation": POST_ONLY,
    "alliances:statement_withdraw": POST_ONLY,
    "alliances:vote": POST_ONLY,
    "alliances:charter_edit": POST_ONLY,
    "meetings:cancel": POST_ONLY,
    "meetings:weather_dismiss": POST_ONLY,
    "accounts:calendar_make": "a POST that shows the settings page, checked here",
    "accounts:calendar_revoke": "a POST that shows the settings page, checked here",
    "accounts:calendar_feed": NOT_A_PAGE,
    "privacy:request": POST_ONLY,
    "privacy:download": NOT_A_PAGE,
    "alliances:statement_voice": "the sound of a voice note (audio, not a page)",
    "alliances:statement_voice_delete": POST_ONLY,
    # acting
    "acting:stance": POST_ONLY,
    "acting:decide": POST_ONLY,
    "acting:availability": POST_ONLY,
    "acting:join_action": POST_ONLY,
    "acting:agree_action": POST_ONLY,
    "acting:move_action": POST_ONLY,
    "acting:capacities": POST_ONLY,
    "acting:review_open": POST_ONLY,
    "acting:review_conclusion": POST_ONLY,
    "acting:review_charter": POST_ONLY,
    "acting:review_absence": POST_ONLY,
    "acting:review_close": POST_ONLY,
    "acting:review_export": POST_ONLY,
    "documents:produce_project": POST_ONLY,
    "documents:download": NOT_A_PAGE,
    "interop:give": POST_ONLY,
    "interop:withdraw": POST_ONLY,
    "interop:export": "the FHIR file to download (JSON), not a page; refused, it says why",
    "acting:journal_voice": "the sound of a voice note (audio, not a page)",
    "acting:journal_voice_delete": POST_ONLY,
    "attachments:attachment": "a file to download (PDF or photo), not a page",
    "attachments:attachment_preview": "a photo's thumbnail (an image), not a page",
    "attachments:delete": POST_ONLY,
    # linking
    "linking:solidarity": FOLLOW_UP,
    "linking:consent": POST_ONLY,
    "linking:join": POST_ONLY,
    # collectives
    "collectives:create": FOLLOW_UP,
    "collectives:add_member": "the facilitator's page (Samir is one): a follow-up",
    "collectives:invite_file": "the facilitator's page (Samir is one): a follow-up",
    "collectives:invitation_batch": "the facilitator's page (Samir is one): a follow-up",
    "collectives:send_invitation_batch": POST_ONLY,
    "collectives:discard_invitation_batch": POST_ONLY,
    "collectives:withdraw_invitation": POST_ONLY,
    "collectives:make_facilitator": POST_ONLY,
    "collectives:leave": POST_ONLY,
    "collectives:consultation_create": "the facilitator's page (Samir is one): a follow-up",
    "collectives:consultation_status": POST_ONLY,
    "collectives:statement_withdraw": POST_ONLY,
    "collectives:moderation": "the facilitator's page (Samir is one): a follow-up",
    "collectives:moderate": POST_ONLY,
    "results:recompute": POST_ONLY,
    "results:export": NOT_A_PAGE,
    "results:adopt": "the facilitator's page (Samir is one): a follow-up",
    "results:interests": FOLLOW_UP,
    "results:describe_group": "the facilitator's page (Samir is one): a follow-up",
    "results:report_pdf": NOT_A_PAGE,
    # reports and proposals
    "reports:list": NOT_A_PERSON,
    "reports:create": NOT_A_PERSON,
    "interop_import:upload": NOT_A_PERSON,
    "interop_import:review": NOT_A_PERSON,
    "reports:detail": NOT_A_PERSON,
    "reports:export": NOT_A_PERSON,
    "reports:publish": NOT_A_PERSON,
    "reports:code_need": NOT_A_PERSON,
    "report_requests:list": NOT_A_PERSON,
    "report_requests:new": NOT_A_PERSON,
    "report_requests:detail": NOT_A_PERSON,
    "report_requests:close": NOT_A_PERSON,
    "report_requests:answer": NOT_A_PERSON,
    "accounts:organisation_address": NOT_A_PERSON,
    # The organisation's planning codes are never shown to the person (issue 14).
    "alliances:planning": NOT_A_PERSON,
    "proposals:public_page": POST_ONLY,
    "proposals:send": POST_ONLY,
    "proposals:co_sign": POST_ONLY,
    "proposals:join": POST_ONLY,
    "proposals:inbox": NOT_A_PERSON,
    "proposals:received": NOT_A_PERSON,
    "proposals:public": "the public page of a request, for anyone: written for the public",
    "proposals:answer_request": NOT_A_PERSON,
    "proposals:progress": NOT_A_PERSON,
    # notifications, invitations
    "notifications:read": POST_ONLY,
    "notifications:preferences": FOLLOW_UP,
    "notifications:failed_deliveries": NOT_A_PERSON,
    "invitations:answer_alliance": POST_ONLY,
    "invitations:answer_collective": POST_ONLY,
    "invitations:open": FOLLOW_UP,
    # second factor and passkeys
    "mfa:devices": NOT_A_PERSON,
    "mfa:setup": NOT_A_PERSON,
    "mfa:verify": NOT_A_PERSON,
    "mfa:reauthenticate": FOLLOW_UP,
    "mfa:passkeys": FOLLOW_UP,
    "mfa:recovery_codes": POST_ONLY,
    "mfa:remove_device": POST_ONLY,
    "otp_webauthn:credential-registration-begin": NOT_A_PAGE,
    "otp_webauthn:credential-registration-complete": NOT_A_PAGE,
    "otp_webauthn:credential-authentication-begin": NOT_A_PAGE,
    "otp_webauthn:credential-authentication-complete": NOT_A_PAGE,
    "otp_webauthn:js-i18n-catalog": NOT_A_PAGE,
    # the machine's
    "operations:healthz": NOT_A_PAGE,
    "operations:readyz": NOT_A_PAGE,
    "set_language": POST_ONLY,
    "metrics": NOT_A_PAGE,
}


def url_names(resolver=None, namespace=None):
    """Every named URL of the product's pages, with its namespace. The API's routes
    answer JSON to programs, not pages to people: tests/api walks them."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            names |= url_names(pattern, joined)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_page_is_checked_or_excluded_with_a_reason():
    checked = {page.name for page in PAGES}
    known = checked | set(NOT_CHECKED)
    names = url_names()
    assert not checked & set(NOT_CHECKED), "both checked and excluded"
    new = sorted(names - known)
    assert not new, (
        "Pages neither checked in easy-read nor excluded with a reason: add each to PAGES "
        "(as a person who reaches it) or to NOT_CHECKED (saying why):\n" + "\n".join(new)
    )
    gone = sorted(known - names)
    assert not gone, "Named here but no longer a URL of the product:\n" + "\n".join(gone)


# ------------------------------------------------------------------ the demo, once


class Demo:
    """The ids the pages need, read once from the demo."""

    def __init__(self):
        from alliance.accounts import activation
        from alliance.accounts.models import User
        from alliance.acting.models import JournalEntry, Meeting, Review
        from alliance.alliances.models import Alliance, Ally, Charter, Role, Statement
        from alliance.collectives.models import Collective, Consultation
        from alliance.reports.models import Proposal, RequestAnswer

        self.users = {}
        self.alliances = {}
        self.persons = {}
        for slug in (SAMIR, NOE):
            person = Ally.objects.select_related("user", "alliance").get(
                user__demo_persona=slug, role=Role.PERSON
            )
            self.persons[slug] = person
            self.alliances[slug] = person.alliance
            self.users[slug] = person.user
        self.users[FATOU] = User.objects.get(demo_persona=FATOU)
        self.ids = {}
        for slug, person in self.persons.items():
            alliance = person.alliance
            live = Statement.objects.filter(alliance=alliance, withdrawn_at=None)
            own = live.filter(author=person).order_by("pk").first()
            other = live.exclude(author=person).order_by("pk").first()
            entry = JournalEntry.objects.filter(alliance=alliance, author=person).order_by("pk")
            review = Review.objects.filter(alliance=alliance).order_by("-pk").first()
            meeting = Meeting.objects.filter(alliance=alliance, cancelled_at=None).order_by(
                "-starts_at"
            )[0]
            charter = Charter.objects.filter(alliance=alliance).order_by("number").first()
            ally = (
                Ally.objects.filter(alliance=alliance, status=Ally.Status.ACTIVE)
                .exclude(pk=person.pk)
                .order_by("pk")
                .first()
            )
            self.ids[slug] = {
                "alliance": [alliance.pk],
                "statement": [alliance.pk, (other or own).pk],
                "own_statement": [alliance.pk, own.pk] if own else None,
                "own_journal_entry": [alliance.pk, entry.first().pk] if entry.exists() else None,
                "review": [alliance.pk, review.pk] if review else None,
                "charter_version": [alliance.pk, charter.number] if charter else None,
                "meeting": [alliance.pk, meeting.pk],
                "other_ally": [alliance.pk, ally.pk] if ally else None,
            }
        workshop = Collective.objects.get(members__user__demo_persona=SAMIR)
        neighbourhood = Collective.objects.get(members__user__demo_persona=FATOU)

        def latest(collective):
            consultation = (
                Consultation.objects.filter(collective=collective)
                .exclude(status=Consultation.Status.DRAFT)
                .order_by("-pk")
                .first()
            )
            return [collective.pk, consultation.pk]

        from alliance.collectives.models import GroupDescription

        described = GroupDescription.objects.get(consultation_id=latest(neighbourhood)[1])
        shared = {
            "collective": [workshop.pk],
            "consultation": latest(workshop),
            "neighbourhood": [neighbourhood.pk],
            "neighbourhood_consultation": latest(neighbourhood),
            "neighbourhood_group": [*latest(neighbourhood), described.group],
            "proposal": [Proposal.objects.filter(collective=neighbourhood).get().pk],
            "proposal_answer": [
                RequestAnswer.objects.filter(request__proposal__collective=neighbourhood)
                .order_by("pk")
                .first()
                .pk
            ],
        }
        for slug in (SAMIR, NOE, FATOU):
            self.ids.setdefault(slug, {}).update(shared)
        # Yvette waits for her activation letter: the coordinator prints it.
        yvette = Ally.objects.select_related("user").get(
            role=Role.PERSON, alliance__in=Alliance.objects.filter(title__startswith="Yvette")
        )
        coordinator = (
            Ally.objects.filter(alliance=yvette.alliance, role=Role.PROFESSIONAL)
            .select_related("user")
            .first()
        )
        self.yvette_code = activation.make_letter(user=yvette.user, issued_by=coordinator.user)

    def args(self, page: Page):
        if not page.args:
            return []
        found = self.ids[page.who][page.args]
        if found is None:
            pytest.fail(f"the demo has no {page.args} for {page.who}: {page.id} cannot be read")
        return found


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module in a transaction rolled back after its last
    test (as tests/www/conftest.py does with its scene); each test runs in a savepoint."""
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            call_command("demo", stdout=None)
            demo = Demo()
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    yield demo
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        held.__exit__(None, None, None)


@pytest.fixture
def demo(_demo, db):
    return _demo


def easy_client(user=None) -> Client:
    """A browser in easy-read mode (the session says so, whatever the account's
    setting), signed in as `user` when one is given."""
    client = Client()
    if user is not None:
        client.force_login(user)
    session = client.session
    session["reading_mode"] = "easy"
    session.save()
    return client


def fetch(demo: Demo, page: Page):
    if page.who == "activated-yvette":
        # Reached once, right after typing the letter's code.
        client = easy_client()
        response = client.post(reverse("accounts:activate"), {"code": demo.yvette_code})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client.get(reverse(page.name))
    user = demo.users[page.who] if page.who else None
    url = reverse(page.name, args=demo.args(page)) + page.query
    return easy_client(user).get(url)


def jargon():
    if not JARGON_FILE.exists():
        pytest.fail(f"{JARGON_FILE} is missing: the jargon list of the easy-read check")
    return readability.load_jargon(JARGON_FILE)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_the_page_reads_easily(demo, page):
    response = fetch(demo, page)
    assert response.status_code == 200, (
        f"{page.id} answered {response.status_code} in easy-read mode"
    )
    html = response.content.decode()
    # Noé is 9: our words call him "tu".
    violations = readability.check(html, jargon=jargon(), informal=page.who == NOE)
    if violations:
        pytest.fail(
            f"{page.id} ({response.request['PATH_INFO']}) breaks {len(violations)} easy-read "
            "rule(s) (alliance/readability.py):\n" + "\n".join(f"  - {v}" for v in violations),
            pytrace=False,
        )


def test_a_child_has_no_button_a_child_should_not_have(demo):
    """Noé is 9: nothing on his pages invites an ally, hands out a letter or a new
    access, or removes an ally (issue 11), not even inside a closed disclosure."""
    alliance = demo.alliances[NOE]
    client = easy_client(demo.users[NOE])
    forbidden = [
        reverse("alliances:invite", args=[alliance.pk]),
        f"/alliances/{alliance.pk}/allies/",  # letters, new accesses, removals, decisions
    ]
    for name in ("alliances:overview", "alliances:words", "alliances:agree", "alliances:charter"):
        html = client.get(reverse(name, args=[alliance.pk])).content.decode()
        found = [url for url in forbidden if f'href="{url}' in html]
        assert not found, f"{name} shows Noé links a child should not have: {found}"
