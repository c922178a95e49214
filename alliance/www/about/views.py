"""What Alliance is, whose pictures it shows and under which licences ("About"), and
the words it uses ("Les mots d'Alliance"). Public pages, the same for everyone: they
read nothing from the database."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import glossary


@login_not_required
@require_safe
def about(request):
    return render(request, "about/about.html")


@login_not_required
@require_safe
def words(request):
    return render(request, "about/words.html", {"themes": glossary.THEMES})
