"""Fixtures of the translation tests: compiled catalogues, and an alliance with
something on every page."""

import gettext as gettext_module
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import setting_changed

from alliance.alliances import services
from alliance.alliances.models import AsymmetryDimension, PositionCheck
from tests.factories import make_alliance_trio, make_signable_charter

from .po import need

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


@pytest.fixture(scope="session")
def compiled_catalogues():
    """Compiles alliance/locale/*/LC_MESSAGES/django.po when the .mo is missing or
    stale, then forgets the translations Django may already have loaded."""
    compiled = False
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # Written beside, then renamed: a parallel worker reads the old catalogue
            # or the new one, never half of one.
            fresh = mo.with_suffix(f".{os.getpid()}.mo")
            subprocess.run(  # noqa: S603
                [need("msgfmt"), "--check-format", "-o", str(fresh), str(po)], check=True
            )
            os.replace(fresh, mo)
            compiled = True
    if compiled:
        # A catalogue may already be loaded (creating the test database translates
        # verbose names): Python's gettext caches it by path, and Django's own receiver
        # of setting_changed drops what Django holds.
        gettext_module._translations.clear()
        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


@pytest.fixture
def demo_like(compiled_catalogues, professional):
    """An alliance with something on every page: common ground, a divergence, a
    charter signed by one ally, a position check and an asymmetry."""
    trio = make_alliance_trio(professional=professional)
    charter = make_signable_charter(trio)
    services.sign_charter(ally=trio.parent, charter=charter, expected_revision=charter.revision)
    split = services.write_statement(
        ally=trio.parent, kind="goal", text="Que Léo mange à la cantine avec ses amis."
    )
    services.cast_vote(ally=trio.person, statement=split, value="agree")
    services.cast_vote(ally=trio.professional, statement=split, value="disagree")
    services.record_position_check(
        ally=trio.professional,
        chooses_path=PositionCheck.Answer.ME,
        sets_pace=PositionCheck.Answer.TOGETHER,
        walks_ahead=PositionCheck.Answer.ME,
    )
    services.add_asymmetry(
        ally=trio.professional,
        dimension=AsymmetryDimension.DECISION_POWER,
        what_is_held="La commission décide de l'orientation.",
        holders=[trio.professional],
    )
    return trio
