"""Every URL of the product against every role: allow or deny, in one table.

The table must name exactly the URLs found by walking the resolver, so a new URL
without a row here fails `test_the_table_covers_every_url`. Each URL × method ×
role is its own test, on the module's alliance (built once, tests/www/conftest.py),
each in a transaction rolled back after it, so a POST in one case cannot change
what another case sees."""

import re

import pytest
from django.urls import reverse

from alliance.accounts.services import CODE_ALPHABET
from alliance.www.alliances.views import CHARTER_SECTIONS
from tests.factories import make_alliance_trio

from .scene import (
    ALLIANCE_AREAS,
    ANONYMOUS,
    MEMBERS,
    OUTSIDERS,
    ROLES,
    URL_KWARGS,
    WAITING,
    other_collective_objects,
    sign_in,
    walk_url_names,
)

LOGIN = "redirect to sign-in"


def everyone(signed_in, *, anonymous=LOGIN, **overrides):
    """Pages outside alliances: one status for every signed-in role, with exceptions."""
    rule = dict.fromkeys(ROLES, signed_in)
    rule[ANONYMOUS] = anonymous
    rule.update(overrides)
    return rule


def allies(active, *, waiting=403, **overrides):
    """Pages of the alliance: its active allies get `active` (with exceptions), an ally
    waiting for approval sees only the roster, and nobody outside learns it exists."""
    rule = dict.fromkeys(MEMBERS, active)
    rule[WAITING] = waiting
    rule.update(dict.fromkeys(OUTSIDERS, 404))
    rule[ANONYMOUS] = LOGIN
    rule.update(overrides)
    return rule


def collective_members(active, **overrides):
    """Pages of a collective: its members get `active` (with exceptions); nobody
    outside it, the decision maker included, learns that the page exists."""
    rule = dict.fromkeys(MEMBERS, active)
    rule.update(dict.fromkeys((WAITING, *OUTSIDERS), 404))
    rule[ANONYMOUS] = LOGIN
    rule.update(overrides)
    return rule


def addressee_only(status):
    """What the proposal's decision maker reads: nobody else finds it."""
    return {**dict.fromkeys(ROLES, 404), "decision_maker": status, ANONYMOUS: LOGIN}


def facilitator(allowed, **overrides):
    """Facilitators only: the other members are told no (403)."""
    return collective_members(403, professional_ally=allowed, **overrides)


REPORT_REQUESTERS = dict.fromkeys(("professional_ally", "same_org_professional", "org_admin"), 200)
REPORT_READERS = {**REPORT_REQUESTERS, "decision_maker": 200}
DUI_IMPORTERS = {**REPORT_REQUESTERS, "other_org_professional": 200}

# url name -> {method: (expected status per role, POST data)}
# POSTs send empty or harmless data: enough to pass or hit the gate, and a member
# gets a validation error (400) or a redirect, never a saved change that matters.
TABLE = {
    "home": {"get": everyone(200)},
    # Credits, licences and the glossary (issue 11): public, the same for everyone.
    "about:about": {"get": everyone(200, anonymous=200)},
    "about:words": {"get": everyone(200, anonymous=200)},
    # Prometheus: only the scraper's bearer token opens it (tests/upkeep/test_metrics.py);
    # without a token configured, it does not exist, whoever asks.
    "metrics": {"get": everyone(404, anonymous=404)},
    "accounts:sign_in": {"get": everyone(302, anonymous=200), "post": everyone(400, anonymous=400)},
    "accounts:sign_in_code": {"post": everyone(400, anonymous=400)},
    "accounts:request_code": {"post": everyone(400, anonymous=400)},
    "accounts:sign_in_link": {
        "get": everyone(200, anonymous=200),
        "post": everyone(400, anonymous=400),
    },
    "accounts:sign_in_demo": {"post": everyone(302, anonymous=302)},
    "accounts:sign_out": {"post": everyone(302)},
    "accounts:password": {"get": everyone(200), "post": everyone(400)},
    # Everyone chooses how they read; the switch holds for this browser only, so a
    # visitor who is not signed in may use it too.
    "accounts:settings": {"get": everyone(200), "post": everyone(400)},
    # The calendar address (ADR 0025): each user makes and revokes their own; the feed
    # answers a wrong token with 404 for everyone, signed in or not.
    "accounts:calendar_make": {"post": everyone(200)},
    "accounts:calendar_revoke": {"post": everyone(200)},
    "accounts:calendar_feed": {"get": everyone(404, anonymous=404)},
    "accounts:reading_switch": {"post": everyone(302, anonymous=302)},
    # Each user sees and ends only their own sessions: another's is not found.
    "accounts:sessions": {"get": everyone(200)},
    # Data rights (ADR 0033): each one for themselves (and whom they represent); a
    # POST without a chosen action changes nothing.
    "rights:page": {"get": everyone(200), "post": everyone(400)},
    "accounts:end_session": {"post": everyone(404, professional_ally=302)},
    "accounts:end_other_sessions": {"post": everyone(302)},
    # A person's data (ADR 0032): everyone sees and asks for their own; an archive is
    # downloaded by whoever asked for it only (here the person), nobody else finds it.
    "privacy:mine": {"get": everyone(200)},
    "privacy:request": {"post": everyone(302)},
    "privacy:download": {"get": everyone(404, person=200)},
    # Activation letters (ADR 0013): the activation page is public and signs in only
    # by a POST with a valid code; choosing a way back in needs the session the letter
    # just opened; each user stops only their own devices.
    "accounts:activate": {
        "get": everyone(200, anonymous=200),
        "post": everyone(400, anonymous=400),
    },
    "accounts:activate_choose": {"get": everyone(403)},
    "accounts:activate_device": {"post": everyone(403)},
    "accounts:activate_password": {"post": everyone(403)},
    "accounts:revoke_device": {"post": everyone(404, professional_ally=302)},
    "accounts:professionals": {
        "get": everyone(403, org_admin=200),
        "post": everyone(403, org_admin=400),
    },
    "accounts:professional_active": {"post": everyone(403, org_admin=302)},
    # The API's credentials (ADR 0029): each user makes and revokes their own tokens
    # (another's is not found); only the organisation's administrator registers and
    # revokes its DUI software.
    "accounts:api_token_make": {"post": everyone(400)},
    "accounts:api_token_revoke": {"post": everyone(404, professional_ally=302)},
    "accounts:api_clients": {
        "get": everyone(403, org_admin=200),
        "post": everyone(403, org_admin=400),
    },
    "accounts:api_client_revoke": {"post": everyone(403, org_admin=302)},
    # Removing a professional who left (ADR 0033): their organisation's administrator
    # only; an active colleague is refused with a message (deactivate first).
    "rights:remove_professional": {"post": everyone(403, org_admin=302)},
    # The caseload and the handover (issue 12): professionals only; each sees only the
    # alliances they are in, and an org admin hands over without reading them.
    "caseload:list": {
        "get": everyone(
            403,
            professional_ally=200,
            same_org_professional=200,
            org_admin=200,
            other_org_professional=200,
        )
    },
    "caseload:handover": {
        "get": everyone(
            403,
            professional_ally=200,
            same_org_professional=200,
            org_admin=200,
            other_org_professional=200,
        ),
        "post": everyone(
            403,
            professional_ally=400,
            same_org_professional=400,
            org_admin=400,
            other_org_professional=400,
        ),
    },
    "alliances:create": {
        "get": everyone(200, decision_maker=403),
        "post": everyone(400, decision_maker=403),
    },
    # Starting from the organisation's DUI (ADR 0031): professionals of an organisation
    # only; an empty upload is a 400, a review with nothing read sends back to upload.
    "interop_import:upload": {
        "get": everyone(403, **DUI_IMPORTERS),
        "post": everyone(403, **dict.fromkeys(DUI_IMPORTERS, 400)),
    },
    "interop_import:review": {
        "get": everyone(403, **dict.fromkeys(DUI_IMPORTERS, 302)),
        "post": everyone(403, **dict.fromkeys(DUI_IMPORTERS, 302)),
    },
    "alliances:overview": {"get": allies(200, waiting=200)},
    "alliances:join": {"post": allies(302, waiting=302)},
    "alliances:invite": {"get": allies(200), "post": allies(400)},
    # Only the person and their representative approve who joins.
    "alliances:decide": {"post": allies(403, person=302, representative=302)},
    # The person, their representative and the inviter withdraw a pending invitation.
    "alliances:withdraw_invitation": {
        "post": allies(403, person=302, representative=302, professional_ally=302)
    },
    # Representatives and allies (issue 9). The person or their approved representative
    # removes another ally (the relative here); any ally but the person leaves; only a
    # representative records their own mandate (an empty form: 400).
    "alliances:remove_ally": {
        "get": allies(403, waiting=403, person=200, representative=200),
        "post": allies(403, waiting=403, person=302, representative=302),
    },
    "alliances:leave": {
        "get": allies(200, waiting=200),
        "post": allies(302, waiting=302, person=403),
    },
    # Closing and reopening (issue 12, ADR 0023): a professional proposes, the person
    # or their representative closes or answers; an empty form is a 400.
    "closing:page": {
        "get": allies(403, person=200, representative=200, professional_ally=200),
        "post": allies(403, person=400, representative=400, professional_ally=400),
    },
    "closing:answer": {"post": allies(403, person=400, representative=400)},
    "alliances:mandate": {
        "get": allies(403, representative=200),
        "post": allies(403, representative=400),
    },
    # Only the ally who invited the relative (without email, never signed in) makes
    # their activation letter; the PDF answers an empty form with 400 to every ally
    # (a letter's code must come with it, and only its maker's opens it).
    "alliances:letter": {
        "get": allies(403, professional_ally=200),
        "post": allies(403, professional_ally=400),
    },
    "alliances:letter_sms": {"post": allies(403, professional_ally=400)},
    "alliances:letter_pdf": {"post": allies(400, waiting=400)},
    # Lost access: any active ally but the relative asks (an empty form: 400).
    "alliances:reissue": {
        "get": allies(200, relative=403),
        "post": allies(400, relative=403),
    },
    "alliances:recognition": {"get": allies(200), "post": allies(400)},
    # The easy-read home's "What matters to me" and "Do we agree?" (issue 11).
    "alliances:words": {"get": allies(200)},
    "alliances:agree": {"get": allies(200)},
    "alliances:statement_new": {"get": allies(200), "post": allies(400)},
    "alliances:statement": {"get": allies(200)},
    # The statement is the person's: only its author changes or withdraws it.
    "alliances:statement_edit": {"get": allies(403, person=200), "post": allies(403, person=400)},
    "alliances:statement_withdraw": {"post": allies(403, person=302)},
    "alliances:vote": {"post": allies(302)},
    # Voice notes (ADR 0019): every ally who reads the statement hears the note; only
    # its author records (an empty form: 400) or deletes it (no version: stale, 409).
    "alliances:statement_voice": {"get": allies(200)},
    "alliances:statement_voice_record": {
        "get": allies(403, person=200),
        "post": allies(403, person=400),
    },
    "alliances:statement_voice_delete": {"post": allies(403, person=409)},
    "alliances:asymmetries": {"get": allies(200), "post": allies(400)},
    "alliances:charter": {"get": allies(200)},
    "alliances:charter_edit": {"post": allies(400)},
    "alliances:charter_version": {"get": allies(200)},
    "alliances:charter_diff": {"get": allies(200)},
    "alliances:positions": {"get": allies(200), "post": allies(400)},
    "alliances:trail": {"get": allies(200)},
    "acting:means": {"get": allies(200), "post": allies(400)},
    "acting:stance": {"post": allies(400)},
    "acting:decide": {"post": allies(400)},
    "acting:availability": {"post": allies(400)},
    "acting:actions": {"get": allies(200), "post": allies(400)},
    "acting:join_action": {"post": allies(400)},
    # Only the person and their representative agree to an action without the person.
    "acting:agree_action": {"post": allies(403, person=302, representative=302)},
    "acting:move_action": {"post": allies(400)},
    "acting:capacities": {"post": allies(400)},
    "acting:journal": {"get": allies(200), "post": allies(400)},
    # The journal entry is the person's: only its author revises it.
    "acting:journal_edit": {"get": allies(403, person=200), "post": allies(403, person=400)},
    # Voice notes on the person's journal entry, as on statements.
    "acting:journal_voice": {"get": allies(200)},
    "acting:journal_voice_record": {
        "get": allies(403, person=200),
        "post": allies(403, person=400),
    },
    "acting:journal_voice_delete": {"post": allies(403, person=409)},
    # Attached files (ADR 0026): every ally sends and opens them; an empty form is
    # refused (400). Only the uploader (the person here) or whoever speaks for the
    # person deletes one.
    "attachments:files": {"get": allies(200), "post": allies(400)},
    "attachments:attachment": {"get": allies(200)},
    "attachments:attachment_preview": {"get": allies(200)},
    "attachments:delete": {"post": allies(403, person=302, representative=302)},
    "acting:reviews": {"get": allies(200), "post": allies(400)},
    # The scene's charter is not signed yet: a review cannot be held.
    "acting:review_open": {"post": allies(400)},
    "acting:review": {"get": allies(200)},
    # The conclusion slot is the person's: only they write in it.
    "acting:review_conclusion": {"post": allies(403, person=400)},
    "acting:review_charter": {"post": allies(400)},
    # Only a professional records an absence (an empty form: 400); nobody may close a
    # review whose conclusions are missing (400); any ally exports its report (302 to
    # the download).
    "acting:review_absence": {"post": allies(403, professional_ally=400)},
    "acting:review_close": {"post": allies(400)},
    "acting:review_export": {"post": allies(302)},
    # Documents (ADR 0024): every active ally reads the list, makes the project (302
    # to the list) and downloads any document.
    "documents:list": {"get": allies(200)},
    "documents:produce_project": {"post": allies(302)},
    "documents:download": {"get": allies(200)},
    # Only the person or their legal representative decides to link the alliance.
    "linking:solidarity": {"get": allies(403, person=200, representative=200)},
    "linking:consent": {"post": allies(403, person=302, representative=302)},
    "linking:join": {"post": allies(403, person=302, representative=302)},
    # The DUI link (issue 13): every ally sees where it stands; only the person or
    # their legal representative agrees (302) or stops (409 here: nothing to stop);
    # the scene's person has not agreed, so the export is refused to everyone (a
    # professional and the person's side get the page that says why).
    "interop:dui": {"get": allies(200)},
    "interop:give": {"post": allies(403, person=302, representative=302)},
    "interop:withdraw": {"post": allies(403, person=409, representative=409)},
    "interop:export": {"get": allies(403)},
    # Each user reaches only their own notifications: nothing to deny, nothing to leak.
    "notifications:list": {"get": everyone(200)},
    "notifications:read": {"post": everyone(302)},
    "notifications:preferences": {"get": everyone(200), "post": everyone(400)},
    # Operators only (staff, ADR 0015): no role of an alliance or organisation.
    "notifications:failed_deliveries": {"get": everyone(403), "post": everyone(403)},
    "proposals:collective": {"get": collective_members(200), "post": collective_members(400)},
    # Only a facilitator opens or closes the public page.
    "proposals:public_page": {"post": collective_members(403, professional_ally=302)},
    "proposals:detail": {"get": collective_members(200)},
    # Only a facilitator sends; this proposal is already sent.
    "proposals:send": {"post": collective_members(403, professional_ally=400)},
    # An empty form is one's own signature.
    "proposals:co_sign": {"post": collective_members(302)},
    "proposals:join": {"post": collective_members(400)},
    "proposals:inbox": {"get": everyone(403, decision_maker=200)},
    "proposals:received": {"get": addressee_only(200), "post": addressee_only(400)},
    # Anyone, signed in or not, reads a public page.
    "proposals:public": {"get": everyone(200, anonymous=200)},
    # Follow-through (ADR 0038): the addressee answers each request and posts progress
    # (an empty form: 400); the members react to an answer, nobody else finds it.
    "proposals:answer_request": {"get": addressee_only(200), "post": addressee_only(400)},
    "proposals:progress": {"get": addressee_only(200), "post": addressee_only(400)},
    "proposals:react": {"get": collective_members(200), "post": collective_members(400)},
    "collectives:list": {"get": everyone(200, decision_maker=403)},
    "collectives:create": {
        "get": everyone(200, decision_maker=403),
        "post": everyone(400, decision_maker=403),
    },
    "collectives:detail": {"get": collective_members(200)},
    "collectives:add_member": {"get": facilitator(200), "post": facilitator(400)},
    # Invitations from a file (ADR 0040): the list is the facilitator's who read it.
    "collectives:invite_file": {"get": facilitator(200), "post": facilitator(400)},
    "collectives:invitation_batch": {"get": facilitator(200)},
    "collectives:send_invitation_batch": {"post": facilitator(302)},
    "collectives:discard_invitation_batch": {"post": facilitator(302)},
    "collectives:withdraw_invitation": {"post": facilitator(302)},
    # An invitation link that names nothing opens nothing, for anyone.
    "invitations:open": {"get": everyone(404, anonymous=404), "post": everyone(404, anonymous=404)},
    # Only the owner of the invited address answers (an empty answer is refused).
    "invitations:answer_alliance": {"post": everyone(404, other_org_professional=400)},
    "invitations:answer_collective": {"post": everyone(404, other_org_professional=400)},
    "collectives:make_facilitator": {"post": facilitator(302)},
    # The lone facilitator is refused with a message on the collective page: 302 too.
    "collectives:leave": {"post": collective_members(302)},
    "collectives:consultation_create": {"get": facilitator(200), "post": facilitator(400)},
    "collectives:consultation": {"get": collective_members(200)},
    "collectives:consultation_status": {"post": facilitator(400)},
    "collectives:statement_new": {"get": collective_members(200), "post": collective_members(400)},
    # The waiting statement is the person's: only its author withdraws it.
    "collectives:statement_withdraw": {"post": collective_members(403, person=302)},
    "collectives:moderation": {"get": facilitator(200)},
    "collectives:moderate": {"post": facilitator(400)},
    "collectives:vote": {"get": collective_members(200), "post": collective_members(400)},
    "acting:indicators": {"get": allies(200), "post": allies(400)},
    "acting:weather": {"get": allies(200), "post": allies(400)},
    # Meetings (issue 12): the scene's meeting invites every member.
    "meetings:list": {"get": allies(200)},
    "meetings:new": {"get": allies(200), "post": allies(400)},
    "meetings:detail": {"get": allies(200), "post": allies(400)},
    "meetings:edit": {"get": allies(200), "post": allies(400)},
    "meetings:cancel": {"post": allies(400)},
    "meetings:weather_dismiss": {"post": allies(302)},
    # Reports: professionals ask for them about their own organisation; decision makers
    # read only the reports published to them, and (rows above) never an alliance.
    "reports:list": {"get": everyone(403, **REPORT_READERS, other_org_professional=200)},
    "reports:create": {
        "get": everyone(403, **REPORT_REQUESTERS, other_org_professional=200),
        "post": everyone(403, **dict.fromkeys(REPORT_REQUESTERS, 400), other_org_professional=400),
    },
    "reports:detail": {"get": everyone(404, **REPORT_READERS)},
    "reports:export": {"get": everyone(404, **REPORT_READERS)},
    # Only the administrators of the report's organisation publish it.
    "reports:publish": {
        "post": everyone(404, **{**dict.fromkeys(REPORT_READERS, 403), "org_admin": 302})
    },
    # Coding a need: the scene's statement is not adopted, so the member is told so.
    "reports:code_need": {"post": allies(302)},
    # Requests for a report (ADR 0037): decision makers ask and follow their own
    # requests; the administrator of an organisation asked answers (an empty answer is
    # a 400); closing before the day for answers is refused with a message.
    "report_requests:list": {"get": everyone(403, decision_maker=200, org_admin=200)},
    "report_requests:new": {
        "get": everyone(403, decision_maker=200),
        "post": everyone(403, decision_maker=400),
    },
    "report_requests:detail": {"get": everyone(404, decision_maker=200)},
    "report_requests:close": {"post": everyone(404, decision_maker=302)},
    "report_requests:answer": {
        "get": everyone(404, org_admin=200),
        "post": everyone(404, org_admin=400),
    },
    # Where the organisation is (issue 14): its administrator only; an empty form
    # lacks what it was loaded with (400).
    "accounts:organisation_address": {
        "get": everyone(403, org_admin=200),
        "post": everyone(403, org_admin=400),
    },
    # The alliance's planning codes: the professionals of its organisation only; an
    # empty form lacks what it was loaded with (400).
    "alliances:planning": {
        "get": allies(403, professional_ally=200),
        "post": allies(403, professional_ally=400),
    },
    # Results: every member reads them; facilitators recompute, export and adopt.
    "results:results": {"get": collective_members(200)},
    # The printable poster of the results: whoever reads the results (issue 11).
    "results:poster": {"get": collective_members(200)},
    "results:recompute": {"post": facilitator(302)},
    "results:export": {"get": facilitator(200)},
    "results:adopt": {"get": facilitator(200), "post": facilitator(400)},
    "results:interests": {"get": collective_members(200)},
    # Results as a report (issue 14): every member reads a group's page and the PDF;
    # facilitators describe a group (an empty form: 400).
    "results:group": {"get": collective_members(200)},
    "results:describe_group": {"get": facilitator(200), "post": facilitator(400)},
    "results:report_pdf": {"get": collective_members(200)},
    # The whole common ground and the whole divisive list, paged: whoever reads the
    # results.
    "results:common_ground": {"get": collective_members(200)},
    "results:divisive": {"get": collective_members(200)},
    # Second factor and passkeys (ADR 0011): each user reaches only their own devices.
    # ProConnect is not set up in the tests: its doors are not found.
    "accounts:proconnect_start": {"get": everyone(404, anonymous=404)},
    "accounts:proconnect_callback": {"get": everyone(404, anonymous=404)},
    "mfa:devices": {"get": everyone(200)},
    "mfa:setup": {"get": everyone(200), "post": everyone(400)},
    # Already verified (professionals), or nothing to verify with (the others).
    "mfa:verify": {"get": everyone(302), "post": everyone(302)},
    "mfa:reauthenticate": {"get": everyone(200), "post": everyone(200)},
    "mfa:passkeys": {"get": everyone(200)},
    # The new codes are shown to their owner, once.
    "mfa:recovery_codes": {"post": everyone(200)},
    # The professional ally's only authenticator app: refused with a message.
    "mfa:remove_device": {"post": everyone(404, professional_ally=302)},
    "otp_webauthn:credential-registration-begin": {"post": everyone(200)},
    # Nothing was begun: refused.
    "otp_webauthn:credential-registration-complete": {"post": everyone(400)},
    "otp_webauthn:credential-authentication-begin": {"post": everyone(200, anonymous=200)},
    "otp_webauthn:credential-authentication-complete": {"post": everyone(400, anonymous=400)},
    "otp_webauthn:js-i18n-catalog": {"get": everyone(200, anonymous=200)},
    # Probes (ADR 0014): public, nothing personal. No worker runs in the tests, so
    # readiness fails the same way for everyone.
    "operations:healthz": {"get": everyone(200, anonymous=200)},
    "operations:readyz": {"get": everyone(503, anonymous=503)},
}

# A browser always sends at least the CSRF token, so a form is never posted empty
# (and `request.POST or None` would read an empty POST as no submission at all).
BLANK = {"blank": ""}
POST_DATA = {
    # Re-activating an already active colleague: passes the gate, changes nothing.
    "accounts:professional_active": {"active": "1"},
}

CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for name, methods in TABLE.items()
    for method, rule in methods.items()
    for role in ROLES
]

POST_ONLY = sorted(name for name, methods in TABLE.items() if set(methods) == {"post"})


def test_the_table_covers_every_url():
    assert set(TABLE) == walk_url_names()
    assert set(URL_KWARGS) == walk_url_names()
    for methods in TABLE.values():
        for rule in methods.values():
            assert set(rule) == set(ROLES)


def _request(client, name, method, scene, **kwargs):
    url = reverse(name, kwargs={**URL_KWARGS[name](scene), **kwargs})
    data = POST_DATA.get(name, BLANK)
    response = client.get(url) if method == "get" else client.post(url, data)
    _assert_no_credential(response, url, scene)
    return response


# A credential reaches only its owner: no response carries a sign-in link, a one-time
# code, or an invitation token that was emailed to someone (the URL asked for aside).
# Activation letters show the same code, grouped by a hyphen or a space (ADR 0013).
ONE_TIME_CODE = re.compile(rf"\b[{CODE_ALPHABET}]{{5}}[- ]?[{CODE_ALPHABET}]{{5}}\b")


def _assert_no_credential(response, url, scene):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = (content.decode(errors="replace") + response.get("Location", "")).replace(url, "")
    assert "/sign-in/link/" not in text
    assert not ONE_TIME_CODE.search(text), ONE_TIME_CODE.search(text)
    assert scene.secrets and not any(secret in text for secret in scene.secrets)


def _assert_status(response, expected):
    sign_in_url = reverse("accounts:sign_in")
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(f"{sign_in_url}?next="), location
    else:
        assert response.status_code == expected
        assert not location.startswith(f"{sign_in_url}?next="), location


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_gate(client, name, method, role, scene):
    sign_in(client, scene.user(role))
    response = _request(client, name, method, scene)
    _assert_status(response, TABLE[name][method][role])


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in POST_ONLY if n.startswith(ALLIANCE_AREAS)])
def test_a_get_on_a_post_only_alliance_url_says_nothing_of_the_alliance(client, name, scene):
    """405 comes before the gatekeeper: the same answer for an ally, an outsider and
    an alliance that does not exist."""
    statuses = set()
    for role in ("person", "other_org_professional"):
        client.force_login(scene.user(role))
        statuses.add(client.get(reverse(name, kwargs=URL_KWARGS[name](scene))).status_code)
        kwargs = {**URL_KWARGS[name](scene), "alliance_id": scene.alliance.pk + 1000}
        statuses.add(client.get(reverse(name, kwargs=kwargs)).status_code)
    assert statuses == {405}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in TABLE if n.startswith(ALLIANCE_AREAS) and n != "alliances:create"]
)
def test_an_outsider_cannot_tell_an_alliance_from_one_that_does_not_exist(client, name, scene):
    client.force_login(scene.user("same_org_professional"))
    method = next(iter(TABLE[name]))
    existing = _request(client, name, method, scene)
    missing = _request(client, name, method, scene, alliance_id=scene.alliance.pk + 1000)
    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("alliances:statement", "get"),
        ("alliances:statement_edit", "get"),
        ("alliances:statement_withdraw", "post"),
        ("alliances:vote", "post"),
        ("alliances:decide", "post"),
        ("alliances:withdraw_invitation", "post"),
        ("alliances:remove_ally", "get"),
        ("acting:stance", "post"),
        ("acting:decide", "post"),
        ("acting:availability", "post"),
        ("acting:join_action", "post"),
        ("acting:agree_action", "post"),
        ("acting:move_action", "post"),
        ("acting:journal_edit", "get"),
        ("alliances:statement_voice", "get"),
        ("alliances:statement_voice_record", "post"),
        ("alliances:statement_voice_delete", "post"),
        ("acting:journal_voice", "get"),
        ("acting:journal_voice_record", "post"),
        ("acting:journal_voice_delete", "post"),
        ("attachments:attachment", "get"),
        ("attachments:attachment_preview", "get"),
        ("attachments:delete", "post"),
        ("acting:review", "get"),
        ("acting:review_conclusion", "post"),
        ("acting:review_charter", "post"),
        ("acting:review_absence", "post"),
        ("acting:review_close", "post"),
        ("acting:review_export", "post"),
        ("documents:download", "get"),
        ("meetings:detail", "get"),
        ("meetings:edit", "get"),
        ("meetings:cancel", "post"),
        ("meetings:weather_dismiss", "post"),
    ],
)
def test_an_ally_cannot_reach_another_alliance_through_their_own(client, name, method, scene):
    """Objects of another alliance are not found, even behind an alliance id the user
    may open."""
    other = make_alliance_trio(title="Une autre alliance")
    client.force_login(other.person.user)
    response = _request(client, name, method, scene, alliance_id=other.alliance.pk)
    assert response.status_code == 404


# ---------------------------------------------------------------- charter sections

# Each section of the charter is its own form behind one URL: every one, and one that
# does not exist, against every role. Empty forms: a member gets a validation error.
CHARTER_SECTION_TABLE = {
    **{section: allies(400) for section in sorted(CHARTER_SECTIONS)},
    "no-such-section": allies(404),
}


def test_the_section_table_covers_every_section_of_the_charter():
    assert set(CHARTER_SECTION_TABLE) == CHARTER_SECTIONS | {"no-such-section"}
    for rule in CHARTER_SECTION_TABLE.values():
        assert set(rule) == set(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("section", "role"),
    [
        pytest.param(section, role, id=f"{section}-{role}")
        for section in CHARTER_SECTION_TABLE
        for role in ROLES
    ],
)
def test_every_section_of_the_charter_is_gated(client, section, role, scene):
    sign_in(client, scene.user(role))
    response = _request(client, "alliances:charter_edit", "post", scene, section=section)
    _assert_status(response, CHARTER_SECTION_TABLE[section][role])


# ---------------------------------------------------------------- ids nested in collectives

# The collective URLs with ids of things inside the collective, by kwarg.
NESTED_IN_COLLECTIVES = {
    "collectives:withdraw_invitation": {"invitation_id"},
    "collectives:invitation_batch": {"batch_id"},
    "collectives:send_invitation_batch": {"batch_id"},
    "collectives:discard_invitation_batch": {"batch_id"},
    "collectives:make_facilitator": {"member_id"},
    "collectives:consultation": {"consultation_id"},
    "collectives:consultation_status": {"consultation_id"},
    "collectives:statement_new": {"consultation_id"},
    "collectives:statement_withdraw": {"consultation_id", "statement_id"},
    "collectives:moderation": {"consultation_id"},
    "collectives:moderate": {"consultation_id", "statement_id"},
    "collectives:vote": {"consultation_id"},
    "results:results": {"consultation_id"},
    "results:poster": {"consultation_id"},
    "results:recompute": {"consultation_id"},
    "results:export": {"consultation_id"},
    "results:adopt": {"consultation_id", "statement_id"},
    "results:group": {"consultation_id", "group_id"},
    "results:describe_group": {"consultation_id", "group_id"},
    "results:report_pdf": {"consultation_id"},
    "results:common_ground": {"consultation_id"},
    "results:divisive": {"consultation_id"},
}
COLLECTIVE_AREAS = ("collectives:", "results:")


@pytest.mark.django_db
def test_the_nested_table_covers_every_collective_url_with_nested_ids(scene):
    found = {}
    for name, kwargs in URL_KWARGS.items():
        nested = set(kwargs(scene)) - {"collective_id"} if name.startswith(COLLECTIVE_AREAS) else ()
        if nested:
            found[name] = nested
    assert found == NESTED_IN_COLLECTIVES


def _swaps(other):
    """For each nested kwarg, the ids of the other collective to put in its place."""
    return {
        "member_id": [other.member.pk],
        "invitation_id": [other.invitation.pk],
        "batch_id": [other.batch.pk],
        "consultation_id": [other.consultation.pk],
        "statement_id": [other.seed.pk, other.pending.pk],
        "group_id": [17],  # a group the results do not show
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(NESTED_IN_COLLECTIVES))
def test_an_id_of_another_collective_inside_this_one_is_not_found(client, name, scene):
    """The facilitator of both collectives reaches each thing in its own collective
    only: swapped into this collective's URL, the other's member, consultation or
    statement is not found."""
    method = next(iter(TABLE[name]))
    other = other_collective_objects(scene)
    client.force_login(scene.user("professional_ally"))
    assert _request(client, name, method, scene).status_code != 404
    for key in NESTED_IN_COLLECTIVES[name]:
        for swapped in _swaps(other)[key]:
            response = _request(client, name, method, scene, **{key: swapped})
            assert response.status_code == 404, (key, swapped)


# Proposal URLs carry the proposal alone (or the collective): the other collective's.
PROPOSAL_SWAPS = {
    "proposals:collective": "collective_id",
    "proposals:public_page": "collective_id",
    "proposals:detail": "proposal_id",
    "proposals:send": "proposal_id",
    "proposals:co_sign": "proposal_id",
    "proposals:join": "proposal_id",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PROPOSAL_SWAPS))
def test_a_proposal_of_another_collective_is_not_found(client, name, scene):
    """The person, a member of the proposal's collective but not of the other one,
    reaches this collective's proposal and nothing of the other's."""
    method = next(iter(TABLE[name]))
    other = other_collective_objects(scene)
    swapped = {
        "collective_id": other.collective.pk,
        "proposal_id": other.proposal.pk,
    }[PROPOSAL_SWAPS[name]]
    client.force_login(scene.user("person"))
    assert _request(client, name, method, scene).status_code != 404
    response = _request(client, name, method, scene, **{PROPOSAL_SWAPS[name]: swapped})
    assert response.status_code == 404
