"""The DUI link in the demo (docs/interop-fhir.md): Samir agreed, a month ago, that
his alliance goes to the file the ESAT keeps on him, through the use case his page
calls. Noé's parents have not decided: their alliance shows the page before."""

from alliance.alliances.models import Ally, Role
from alliance.interop import services

from .clock import as_of, days_ago


def load_dui_consent():
    samir = Ally.objects.select_related("alliance", "user").get(
        user__demo_persona="personne-samir", role=Role.PERSON
    )
    with as_of(days_ago(30)):
        services.give_dui_consent(ally=samir)
