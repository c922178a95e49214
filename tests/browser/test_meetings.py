"""Meetings and the charter's history in a real browser: the professional schedules a
meeting, the person (easy-read) answers it on a phone-wide screen, the professional
compares the charter's two versions and reads what changed since they signed. axe-core
on every page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from alliance.acting.models import Meeting, MeetingAnswer
from alliance.alliances import services
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.browser


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


@pytest.mark.django_db(transaction=True)
def test_schedule_answer_and_see_what_changed(new_context):
    trio = make_alliance_trio()
    charter = make_signed_charter(trio)
    services.add_indicator(
        ally=trio.parent,
        charter=charter,
        name="Léo dort bien",
        scale_min=0,
        scale_max=10,
        raters=[trio.person],
        expected_revision=charter.revision,
    )
    pk = trio.alliance.pk
    pro = new_context(trio.professional.user).new_page()

    pro.goto(reverse("meetings:new", args=[pk]))
    audit(pro)
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    pro.fill("#id_day", day)
    pro.fill("#id_time", "14:30")
    pro.fill("#id_place", "Au centre social")
    pro.fill("#id_purpose", "Préparer la rentrée")
    pro.locator("main form button[type=submit]").click()
    pro.wait_for_url(re.compile(r"/meetings/\d+/$"))
    audit(pro)
    meeting = Meeting.objects.get()
    expect(pro.locator("main table")).to_contain_text("Léo Martin")

    # The person, on a phone-wide screen in easy-read, says they come and what they bring.
    person_context = new_context(trio.person.user)
    person = person_context.new_page()
    person.set_viewport_size({"width": 360, "height": 780})
    person.goto(reverse("meetings:detail", args=[pk, meeting.pk]))
    audit(person)
    person.locator('input[name="answer"][value="coming"]').check()
    person.fill("#id_brings", "Mon cahier")
    person.locator("main form button[type=submit]").click()
    person.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    audit(person)
    invitation = meeting.invitations.get(ally=trio.person)
    assert (invitation.answer, invitation.brings) == (MeetingAnswer.COMING, "Mon cahier")
    assert person.evaluate("document.documentElement.scrollWidth") <= 360

    # The professional signed version 1: the signing page says what changed since.
    pro.goto(reverse("alliances:charter", args=[pk]))
    audit(pro)
    since = pro.locator("#since-signed")
    expect(since).to_contain_text("Léo dort bien")
    expect(since).to_contain_text("Un indicateur a été ajouté")  # said in words
    pro.goto(reverse("alliances:charter_diff", args=[pk]) + "?from=1&to=2")
    audit(pro)
    expect(pro.locator(".charter-changes")).to_contain_text("Léo dort bien")
