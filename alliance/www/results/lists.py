"""The whole of one list of a consultation's results (the common ground, or the
divisive statements), a page at a time: the results page shows the first of each and
links here. Thin: the same gatekeeper and reads as the results page."""

from dataclasses import replace

from django.http import Http404
from django.utils.translation import gettext as _

from alliance.collectives import perms, results
from alliance.db_routers import reads_from_replica
from alliance.www.reading import render
from alliance.www.utils import page_methods

from .parts import bars_of
from .views import _lines, _load
from .words import map_labels

PER_PAGE = 25


def _titles():
    return {
        "common_ground": _("Common ground"),
        "divisive": _("Divisive statements"),
    }


@page_methods
@reads_from_replica
def statement_list(request, collective_id, consultation_id, which):
    collective, me, consultation = _load(request, collective_id, consultation_id)
    view, page = results.results_list(
        consultation, me, which=which, page=request.GET.get("page"), per_page=PER_PAGE
    )
    if page is None:
        raise Http404
    bars = bars_of(page.object_list)
    lines = [
        replace(line, chart=bars.get(line.statement.pk))
        for line in _lines(page.object_list, view, map_labels())
    ]
    return render(
        request,
        "results/list.html",
        {
            "collective": collective,
            "consultation": consultation,
            "view": view,
            "which": which,
            "title": _titles()[which],
            "page": page,
            "lines": lines,
            "can_adopt": which == "common_ground" and perms.can_adopt_interest(me, consultation),
        },
    )
