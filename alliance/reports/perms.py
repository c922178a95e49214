"""Who may do what with need coding and reports: small named predicates.

Reports are asked for by the professionals of an organisation about what they may
see: their own organisation, or (for its administrators) the territory their
organisation serves. Platform staff may ask for any set of organisations. A
decision maker sees only the reports published to them, never an alliance."""

from alliance.alliances.perms import can_contribute


def can_code_need(ally) -> bool:
    """Any active ally codes an adopted interest; coding is a suggestion to share."""
    return can_contribute(ally)


def can_request_reports(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_professional
        and (user.organisation_id or user.is_staff)
    )


def can_see_organisation(user, organisation) -> bool:
    return can_request_reports(user) and (user.is_staff or organisation.pk == user.organisation_id)


def can_see_territory(user, territory: str) -> bool:
    if not can_request_reports(user) or not territory:
        return False
    if user.is_staff:
        return True
    return user.is_org_admin and user.organisation.territory == territory


def can_see_organisations(user, organisations) -> bool:
    return bool(organisations) and all(can_see_organisation(user, o) for o in organisations)


def can_publish_report(user, report) -> bool:
    """The administrators of the organisation that owns the report publish it."""
    return (
        report.status == report.Status.READY
        and can_request_reports(user)
        and (user.is_staff or (user.is_org_admin and report.owner_id == user.organisation_id))
    )


# ---------------------------------------------------------------- requests for a report
# A decision maker asks; each organisation concerned answers through its
# administrator, who is accountable for what the organisation shares (ADR 0037).


def can_ask_for_report(user) -> bool:
    """An active decision maker asks organisations for a report."""
    return bool(user.is_authenticated and user.is_active and user.is_decision_maker)


def can_answer_report_request(user, answer) -> bool:
    """The administrator of the organisation asked answers, once, while the request
    waits."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_org_admin
        and user.organisation_id == answer.organisation_id
        and answer.status == answer.Status.PENDING
        and answer.request.status == answer.request.Status.WAITING
    )


def can_close_report_request(user, request, today) -> bool:
    """Its decision maker closes a waiting request once the day for answers is past."""
    return bool(
        user.is_authenticated
        and user.is_active
        and request.requested_by_id == user.pk
        and request.status == request.Status.WAITING
        and today > request.answer_by
    )
