"""Starting an installation outside the demo, from the command line: the first
organisation with its administrator, then decision makers. The operator is the actor
of the trail. Each new account gets its first way in as a professional added by an
administrator does (services.add_professional): a single-use sign-in link sent to its
own address and never shown to whoever made the account (ADR 0012, a credential
reaches only its owner). Should the email not arrive, its owner asks for a code on the
sign-in page ("email me a code")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.audit.journal import record
from alliance.audit.models import Action

from .models import Organisation, User
from .services import find_user_by_email, issue_sign_in_link

# How the trail names whoever ran the command: there is no account behind it.
OPERATOR = "operator (command line)"


def _clean_text(value, *, field, max_length, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": max_length}})
    return value


def _clean_email(email) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    if find_user_by_email(email):
        raise ValidationError({"email": _("An account already uses this email address.")})
    return email


def _send_first_link(user, link) -> None:
    send_mail(
        _("You have an Alliance account"),
        _(
            "An Alliance account was opened for you. Sign in with this personal link, "
            "then choose a password and a second factor: %(link)s"
        )
        % {"link": settings.ALLIANCE_SITE_URL + link},
        None,
        [user.email],
    )


def start_organisation(
    *, name, kind, territory="", admin_email, admin_name, admin_job_title=""
) -> tuple[Organisation, User]:
    """The organisation and its first administrator, together or not at all."""
    name = _clean_text(name, field="name", max_length=200)
    if kind not in Organisation.Kind.values:
        raise ValidationError(
            {
                "kind": _("Choose one of: %(kinds)s.")
                % {"kinds": ", ".join(Organisation.Kind.values)}
            }
        )
    territory = _clean_text(territory, field="territory", max_length=80, required=False)
    admin_name = _clean_text(admin_name, field="display_name", max_length=150)
    admin_job_title = _clean_text(
        admin_job_title, field="job_title", max_length=120, required=False
    )
    with transaction.atomic():
        admin_email = _clean_email(admin_email)
        organisation = Organisation.objects.create(name=name, kind=kind, territory=territory)
        record(
            OPERATOR,
            Action.ORGANISATION_CREATED,
            organisation_id=organisation.pk,
            target=organisation,
        )
        admin = User.objects.create_user(
            email=admin_email,
            display_name=admin_name,
            job_title=admin_job_title,
            kind=User.Kind.PROFESSIONAL,
            organisation=organisation,
            is_org_admin=True,
        )
        record(
            OPERATOR,
            Action.PROFESSIONAL_ADDED,
            organisation_id=organisation.pk,
            target=admin,
            detail={"organisation_admin": True},
        )
        link = issue_sign_in_link(user=admin)
        transaction.on_commit(lambda: _send_first_link(admin, link))
    return organisation, admin


def add_decision_maker(*, email, display_name, job_title="", organisation=None) -> User:
    """A decision maker reads the reports published to them; their organisation, when
    given, is the authority they speak for (a town hall, a département)."""
    display_name = _clean_text(display_name, field="display_name", max_length=150)
    job_title = _clean_text(job_title, field="job_title", max_length=120, required=False)
    with transaction.atomic():
        email = _clean_email(email)
        user = User.objects.create_user(
            email=email,
            display_name=display_name,
            job_title=job_title,
            kind=User.Kind.DECISION_MAKER,
            organisation=organisation,
        )
        record(
            OPERATOR,
            Action.DECISION_MAKER_ADDED,
            organisation_id=getattr(organisation, "pk", None),
            target=user,
        )
        link = issue_sign_in_link(user=user)
        transaction.on_commit(lambda: _send_first_link(user, link))
    return user
