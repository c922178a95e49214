"""Who may do what in movement 2: small named predicates taking the acting ally
(None for someone outside the alliance)."""

from alliance.alliances.perms import can_contribute


def can_negotiate(ally) -> bool:
    """Active allies propose means, take stances, plan and write in the journal."""
    return can_contribute(ally)


def can_consent_for_person(ally) -> bool:
    """The person, or their legal representative, consents to a decision on the means
    and agrees to an action in which the person has no role."""
    return can_contribute(ally) and ally.speaks_for_person


def can_revise_journal_entry(ally, entry) -> bool:
    """Only the author revises their journal entry."""
    return can_contribute(ally) and entry.author_id == ally.pk


def can_record_journal_voice_note(ally, entry) -> bool:
    """Only the author records, replaces or deletes a voice note on their entry (ADR
    0019); every ally who reads the journal hears it."""
    return can_revise_journal_entry(ally, entry)


def can_write_conclusion(ally, author) -> bool:
    """Each ally writes only their own conclusion of a review."""
    return can_contribute(ally) and author.pk == ally.pk


def can_record_absence(ally) -> bool:
    """A professional of the alliance records that an ally could not conclude a review."""
    return can_contribute(ally) and ally.is_professional


def can_close_review(ally) -> bool:
    """Any active ally closes a review once everyone concluded or was recorded absent."""
    return can_contribute(ally)


def can_rate_indicator(ally, indicator) -> bool:
    """Only the raters the charter names rate an indicator, each in their own name."""
    return can_contribute(ally) and any(r.pk == ally.pk for r in indicator.raters.all())


def can_give_weather(ally) -> bool:
    """Every active ally gives the weather, in their own name."""
    return can_contribute(ally)


def sees_weather_alerts(ally) -> bool:
    """Weather alerts are shown to the person (or their legal representative) and to
    the professionals, who can bring them to the next meeting."""
    return can_contribute(ally) and (ally.speaks_for_person or ally.is_professional)


def can_schedule_meeting(ally) -> bool:
    """Every active ally schedules a meeting of their alliance."""
    return can_contribute(ally)


def can_change_meeting(ally, meeting) -> bool:
    """The ally who scheduled a meeting, or any active ally invited to it, changes or
    cancels it: a meeting belongs to those who hold it."""
    if not can_contribute(ally) or meeting.alliance_id != ally.alliance_id:
        return False
    if meeting.scheduled_by_id == ally.pk:
        return True
    return any(i.ally_id == ally.pk for i in meeting.invitations.all())


def can_answer_meeting(ally, invitation) -> bool:
    """Each invited ally answers their own invitation, and only theirs."""
    return can_contribute(ally) and invitation is not None and invitation.ally_id == ally.pk
