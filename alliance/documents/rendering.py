"""The documents' pages, made into PDF with WeasyPrint (as the activation letter and
the report exports): the same selectors as the pages of the alliance, a template
per document and reading, fonts of the system (DejaVu), pictograms read from the
static files. Nothing is fetched over the network."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone

from alliance.acting import selectors as acting_selectors
from alliance.acting import services as acting_services
from alliance.acting.models import ActionStatus, MeansDecision
from alliance.alliances.models import Ally, Role
from alliance.alliances.selectors import charter_detail

# Under this age the easy-read documents say "tu" to the person (as the easy pages).
INFORMAL_UNDER = 12
# The PDF's pages ask for these files only: anything else is refused, not fetched.
_BASE_URL = "https://alliance.invalid/"


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes

    @property
    def source_sha256(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()


def _static_file(url: str) -> tuple[bytes, str]:
    """A static file (a pictogram) read from disk; any other address is refused."""
    prefix = _BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        raise ValueError(f"A document fetches nothing outside the static files: {url}")
    name = url[len(prefix) :].split("?", 1)[0]
    path = finders.find(name)
    if path:
        with open(path, "rb") as file:
            data = file.read()
    else:  # collected (and renamed) in production
        with staticfiles_storage.open(name) as file:
            data = file.read()
    return data, "image/svg+xml" if name.endswith(".svg") else "application/octet-stream"


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            data, kind = _static_file(url)
            return URLFetcherResponse(url, data, {"Content-Type": kind})

    return StaticOnly()


def to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    style = CSS(filename=finders.find("css/document_print.css"))
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[style]
    )


def render(template: str, context: dict) -> Rendered:
    html = render_to_string(template, context)
    return Rendered(html=html, pdf=to_pdf(html))


def the_person(alliance) -> Ally | None:
    return (
        alliance.allies.select_related("user")
        .filter(role=Role.PERSON)
        .exclude(status__in=[Ally.Status.REFUSED])
        .first()
    )


def _common(alliance, easy_read: bool) -> dict:
    person = the_person(alliance)
    today = timezone.localdate()
    age = person.user.age_on(today) if person else None
    return {
        "alliance": alliance,
        "organisation": alliance.organisation,
        "person": person,
        "easy": easy_read,
        "tu": easy_read and age is not None and age < INFORMAL_UNDER,
    }


def project_context(alliance, *, easy_read: bool) -> dict:
    """The personalised project: the signed charter and what the allies do with it.
    None without a signed charter: there is no project to hand over yet."""
    charter = acting_services.signed_charter(alliance)
    if charter is None:
        return None
    boards = acting_selectors.indicator_boards(alliance)
    for board in boards:
        latest = {}
        for reading in board["readings"]:  # oldest first: the last one stays
            latest[reading.ally_id] = reading
        board["latest"] = list(latest.values())
    actions = acting_selectors.plan(alliance)
    return {
        **_common(alliance, easy_read),
        "charter": charter_detail(charter),
        "version": charter.number,
        "dated": charter.signed_at,
        "decisions": list(
            MeansDecision.objects.filter(option__alliance=alliance)
            .select_related("option", "decided_by__user")
            .order_by("decided_at", "pk")
        ),
        "actions": [a for a in actions if a.status != ActionStatus.ABANDONED],
        "boards": boards,
        "next_review": acting_services.next_review(alliance)[0],
    }


def review_context(review, *, easy_read: bool) -> dict:
    """A review's report: the period's summary and every ally's conclusion or absence."""
    alliance = review.alliance
    charter = acting_services.signed_charter(alliance)
    return {
        **_common(alliance, easy_read),
        "review": review,
        "summary": acting_selectors.review_summary(review),
        "slots": acting_selectors.conclusions(review, list(alliance.allies.select_related("user"))),
        "version": charter.number if charter else None,
    }
