"""Files in the demo (ADR 0026), made in code: no file ships with the repository. On
Samir's alliance, his professional brings an example of an MDPH notification (a PDF
that WeasyPrint writes), and Samir puts a photo of the workshop (a drawing that Pillow
makes) on his journal entry about the first reverse duo; both through the use case
the pages call."""

import io

from PIL import Image, ImageDraw

from alliance.acting.models import JournalEntry
from alliance.alliances.models import Alliance, Role
from alliance.attachments import services

from .clock import as_of, days_ago

NOTIFICATION_HTML = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<style>body{font-family:sans-serif;margin:2cm}h1{font-size:16pt}p{font-size:11pt}</style>
</head><body>
<h1>Notification de décision (exemple)</h1>
<p>Maison départementale des personnes handicapées — document de démonstration.</p>
<p>Bénéficiaire : Samir (démo). Orientation : établissement et service d'aide par le travail.</p>
<p>Durée de la décision : 5 ans. Ce document est fictif et ne vaut pas décision.</p>
</body></html>"""


def notification_pdf() -> bytes:
    from weasyprint import HTML  # loaded only when the demo is built: it is slow to import

    return HTML(string=NOTIFICATION_HTML).write_pdf()


def workshop_png(width: int = 640, height: int = 420) -> bytes:
    """A flat drawing of the workshop: a table, a roll of film, two people."""
    image = Image.new("RGB", (width, height), (235, 242, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(200, 190, 170))
    draw.rectangle((120, 210, 520, 290), fill=(120, 130, 140))
    draw.ellipse((270, 150, 370, 250), fill=(180, 210, 230), outline=(60, 80, 100), width=4)
    for x, colour in ((70, (230, 120, 60)), (560, (60, 120, 200))):
        draw.ellipse((x - 25, 150, x + 25, 200), fill=(240, 200, 170))
        draw.rectangle((x - 30, 200, x + 30, 330), fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load_attachments():
    alliance = Alliance.objects.get(allies__user__demo_persona="personne-samir")
    allies = {ally.role: ally for ally in alliance.allies.select_related("user", "alliance")}
    samir, thierry = allies[Role.PERSON], allies[Role.PROFESSIONAL]
    with as_of(days_ago(280)):
        services.attach_file(
            ally=thierry,
            data=notification_pdf(),
            name="Notification MDPH (exemple).pdf",
            description="L'orientation de Samir vers l'ESAT : un exemple, pour la démonstration.",
        )
    entry = JournalEntry.objects.get(
        alliance=alliance, author=samir, happened__startswith="La comptable"
    )
    with as_of(days_ago(197)):
        services.attach_file(
            ally=samir,
            entry=entry,
            data=workshop_png(),
            name="atelier.png",
            alt_text="La filmeuse de l'atelier, avec la comptable et moi de chaque côté.",
        )
