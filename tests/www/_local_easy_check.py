# ruff: noqa
"""Local only (not committed): my pages in easy-read with the demo, through the brief's rules."""

import sys

import pytest
from django.urls import reverse

sys.path.insert(0, "/tmp/coll")
from readability import check

pytestmark = pytest.mark.django_db


def test_pages(client):
    from alliance.www.reading import SESSION_KEY

    from alliance.accounts.models import User
    from alliance.collectives.models import Collective
    from alliance.demo.loader import load_demo
    from alliance.reports.models import Proposal

    load_demo()
    report = []

    def visit(label, url):
        s = client.session
        s[SESSION_KEY] = "easy"
        s.save()
        r = client.get(url)
        html = r.content.decode()
        words, problems = check(html)
        report.append(f"{label:40} {r.status_code} words={words} {problems}")

    for slug in ("personne-samir", "habitante-fatou", "personne-noe"):
        user = User.objects.get(demo_persona=slug)
        client.force_login(user)
        visit(f"{slug} home", reverse("home"))
        visit(f"{slug} groups", reverse("collectives:list"))
        for c in Collective.objects.filter(members__user=user):
            visit(f"{slug} detail {c.pk}", reverse("collectives:detail", args=[c.pk]))
            visit(f"{slug} requests {c.pk}", reverse("proposals:collective", args=[c.pk]))
            for k in c.consultations.all():
                for name in (
                    "collectives:consultation",
                    "collectives:vote",
                    "results:results",
                    "results:poster",
                ):
                    visit(f"{slug} {name} {k.pk}", reverse(name, args=[c.pk, k.pk]))
            for p in Proposal.objects.filter(collective=c):
                visit(f"{slug} proposal {p.pk}", reverse("proposals:detail", args=[p.pk]))
        client.logout()
    visit("anonymous sign in", reverse("accounts:sign_in"))
    client.cookies.clear()
    r = client.get(reverse("accounts:activate"))
    words, problems = check(r.content.decode())
    report.append(f"{'anonymous activate':40} {r.status_code} words={words} {problems}")
    print("\n".join(report))
    with open("/tmp/coll/report.txt", "w") as f:
        f.write("\n".join(report))
