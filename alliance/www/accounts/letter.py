"""The activation letter, as a page and as a PDF: the person's name, their code,
a QR code and a few short sentences with pictograms (OpenMoji, CC BY-SA 4.0)."""

import re
from functools import cache

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from alliance.accounts.activation import LETTER_HOURS

# OpenMoji pictograms, by what they say on the letter.
PICTOGRAMS = {
    "letter": "1F4C4",
    "phone": "1F4F1",
    "key": "1F511",
    "clock": "23F0",
    "secret": "1F910",
    "done": "2705",
}


ID = re.compile(r'\s+id="[^"]*"')


@cache
def _pictogram(code: str) -> str:
    with open(finders.find(f"img/openmoji/{code}.svg"), encoding="utf-8") as svg:
        # Inlined several times in one page: ids would repeat (nothing refers to them).
        drawing = ID.sub("", svg.read())
    # Decorative: the sentence beside it says everything.
    return drawing.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def activation_url() -> str:
    return settings.ALLIANCE_SITE_URL + reverse("accounts:activate")


def letter_context(user, code: str) -> dict:
    # The code rides in the fragment, which browsers never send to the server: the
    # page's script copies it into the form, and only posting the form signs in.
    qr = segno.make(f"{activation_url()}#code={code}", error="m")
    return {
        "person": user,
        "code": code,
        "activation_url": activation_url(),
        "days": LETTER_HOURS // 24,
        "qr_svg": mark_safe(  # noqa: S308 - made by segno from our own URL
            qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=True, title="QR code")
        ),
        "pictograms": {name: mark_safe(_pictogram(code)) for name, code in PICTOGRAMS.items()},  # noqa: S308
    }


# Under this age the easy-read letter says "tu" (as the easy-read pages).
INFORMAL_UNDER = 12


def letter_pdf(request, user, code: str, *, easy_read: bool = False) -> bytes:
    """The letter as a PDF; `easy_read`: one step a line, larger type (ADR 0024)."""
    from weasyprint import CSS, HTML

    context = letter_context(user, code)
    template = "accounts/letter_print.html"
    if easy_read:
        template = "accounts/letter_print_easy.html"
        age = user.age_on(timezone.localdate())
        context["tu"] = age is not None and age < INFORMAL_UNDER
    html = render_to_string(template, context, request=request)
    # Read from disk: the PDF fetches nothing over the network.
    style = CSS(filename=finders.find("css/letter_print.css"))
    return HTML(string=html).write_pdf(stylesheets=[style])
