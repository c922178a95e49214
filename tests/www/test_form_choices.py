"""Forms speak the product's words: no optional choice shows Django's "---------"
(every form class of alliance/www is walked, a new one included), and a need is
never chosen by a guess in the user's place."""

import importlib
import pkgutil

import pytest
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH

import alliance.www

DASHES = BLANK_CHOICE_DASH[0][1]


def _form_classes():
    for module_info in pkgutil.walk_packages(alliance.www.__path__, "alliance.www."):
        if ".templatetags" in module_info.name or module_info.name.endswith(("urls", "_urls")):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                yield value


FORMS = sorted(set(_form_classes()), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _dashes(fields) -> list[str]:
    found = []
    for name, field in fields.items():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                found.append(name)
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
            labels = [label for _v, label in field.choices if not isinstance(label, list | tuple)]
            if DASHES in labels:
                found.append(name)
    return found


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in FORMS}
    assert {"PerimeterForm", "AdoptInterestForm", "NeedCodingForm"} <= names
    assert len(FORMS) > 30


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_choice_says_dashes(form_class):
    assert not _dashes(form_class.base_fields), form_class
    try:
        form = form_class()
    except (TypeError, AttributeError, KeyError):
        return  # needs its objects; its declared fields were checked above
    assert not _dashes(form.fields), form_class
    try:
        html = str(form)
    except AttributeError:
        return  # a queryset given by the view only (None here)
    assert DASHES not in html


# ---------------------------------------------------------------- life domains


def test_the_domain_list_names_each_need_once_without_bullets():
    from alliance.alliances.needs import INDENT, label_of, life_domains

    labels = [label.replace(INDENT, "") for _code, label in life_domains()]
    assert len(labels) == len(set(labels))
    assert labels.count("Besoins en matière d'autonomie") == 1
    assert not any("·" in label for label in labels)
    assert all(label_of(code) for code, _label in life_domains())


@pytest.mark.django_db
def test_a_domain_picked_from_the_list_is_saved_in_its_own_words(alliance_trio):
    from alliance.alliances import services
    from alliance.alliances.needs import label_of, life_domains
    from alliance.www.alliances.forms import PerimeterForm

    code, shown = next((c, label) for c, label in life_domains() if c == "1.3.2.1")
    assert shown != label_of(code)  # indented in the list
    charter = services.current_charter(alliance_trio.alliance)
    form = PerimeterForm(
        data={"domain": code, "status": "in_alliance", "revision": charter.revision},
        domains=life_domains(),
    )
    assert form.is_valid(), form.errors
    assert form.label_and_code() == ("Besoins pour vivre dans un logement", code)
    # The use case names a nomenclature need by its code, whatever label it is given.
    entry = services.set_perimeter(
        ally=alliance_trio.professional,
        charter=charter,
        label=shown,
        domain_code=code,
        status="in_alliance",
        expected_revision=charter.revision,
    )
    assert entry.label == "Besoins pour vivre dans un logement"


def test_asking_the_inhabitants_is_not_about_housing():
    from alliance.alliances.needs import suggest_need

    assert suggest_need("Consulter les habitants avant de décider") != "1.3.2.1"
    assert suggest_need("Nous voulons être sûrs d'être écoutés") != "1.2.1.4"
    assert suggest_need("Trouver un logement avec un loyer abordable") == "1.3.2.1"
