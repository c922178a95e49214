"""Bad input never gives a 500 (issue 9, finding 7): every id in a path goes through
the `<id:...>` converter, every number of a query or a form through a form or
`www.utils.id_from`, and every text a person writes has a stated maximum length.

The walks find the URLs and the forms by themselves: a new URL or form is covered
without anyone listing it."""

import importlib
import inspect
import pkgutil
import time

import pytest
from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse

import alliance.www
from alliance.alliances.models import Ally, Charter
from alliance.alliances.services import current_charter
from alliance.operations.readiness import WORKER_KEY
from alliance.www.converters import DATABASE_ID_MAX
from tests.factories import make_alliance_trio

from .scene import URL_KWARGS, build_scene, walk_url_names

pytestmark = pytest.mark.django_db

BIG = "9" * 25
BAD_VALUES = ("abc", BIG)
# The keys the views read themselves, beside the fields of every form.
RAW_KEYS = ("interest", "commitment", "notification", "statement", "version", "all", "open")
SECTIONS = (
    "interests",
    "remove-interest",
    "commitments",
    "remove-commitment",
    "perimeter",
    "indicators",
    "understanding",
    "sign",
)
ROLES = ("representative", "org_admin", "decision_maker")


def _www_forms():
    for module in pkgutil.walk_packages(alliance.www.__path__, "alliance.www."):
        if module.name.endswith(".forms"):
            loaded = importlib.import_module(module.name)
            for _name, cls in inspect.getmembers(loaded, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                    yield cls


def _keys():
    return sorted({*RAW_KEYS, *(key for cls in _www_forms() for key in cls.base_fields)})


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _cases(scene):
    for name in sorted(walk_url_names()):
        kwargs = URL_KWARGS[name](scene)
        if name == "alliances:charter_edit":
            for section in SECTIONS:
                yield name, {**kwargs, "section": section}
        else:
            yield name, kwargs


@pytest.mark.parametrize("role", ROLES)
def test_a_25_digit_id_in_a_path_is_a_404(role):
    scene = build_scene()
    client = _client(scene.user(role))
    walked = 0
    for name, kwargs in _cases(scene):
        ids = [key for key, value in kwargs.items() if isinstance(value, int)]
        if not ids:
            continue
        for key in ids:
            url = reverse(name, kwargs={**kwargs, key: BIG})
            for method in (client.get, client.post):
                assert method(url).status_code == 404, (name, key, method.__name__)
        walked += 1
    assert walked > 50


def test_the_id_converter_takes_ids_of_the_database_range_only():
    assert resolve(f"/alliances/{DATABASE_ID_MAX}/").kwargs == {"alliance_id": DATABASE_ID_MAX}
    for bad in (DATABASE_ID_MAX + 1, 0, "00"):
        with pytest.raises(Resolver404):
            resolve(f"/alliances/{bad}/")


@pytest.mark.parametrize("role", ROLES)
def test_malformed_numbers_in_queries_and_forms_never_give_a_500(role):
    scene = build_scene()
    # /readyz answers 503 while no worker is seen, whatever the input: one is.
    cache.set(WORKER_KEY, time.time())
    user = scene.user(role)
    keys = _keys()
    for name, kwargs in _cases(scene):
        url = reverse(name, kwargs=kwargs)
        for value in BAD_VALUES:
            data = dict.fromkeys(keys, value)
            # Signed in again each time: a POST to the sign-out URL signs out.
            client = _client(user)
            for method in (client.get, client.post):
                status = method(url, data).status_code
                assert status < 500, (name, value, method.__name__, status)


def test_the_findings_answer_with_a_clear_status(client):
    """The inputs named by the review: each answered, none a 500."""
    trio = make_alliance_trio()
    client = _client(trio.parent.user)
    charter = current_charter(trio.alliance)
    edit = lambda section: reverse("alliances:charter_edit", args=[trio.alliance.pk, section])  # noqa: E731
    for section, key in (("remove-interest", "interest"), ("remove-commitment", "commitment")):
        for value in ("abc", BIG):
            response = client.post(edit(section), {"revision": charter.revision, key: value})
            assert response.status_code == 400, (section, value)
    for value in ("abc", BIG):
        response = client.post(reverse("notifications:read"), {"notification": value})
        assert response.status_code == 302
    assert client.get(f"/alliances/{BIG}/").status_code == 404


@pytest.mark.parametrize("threshold", [BIG, "abc", "1001", "2"])
def test_a_report_threshold_out_of_range_is_refused_with_a_message(client, threshold):
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(territory="69 Rhône")
    admin = UserFactory(org_admin=True, organisation=organisation)
    client = _client(admin)
    response = client.post(
        reverse("reports:create"),
        {
            "scope_kind": "organisation",
            "organisation": organisation.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "threshold": threshold,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["threshold"]


def test_recognition_refuses_a_megabyte_and_changes_nothing(client):
    trio = make_alliance_trio()
    client = _client(trio.parent.user)
    url = reverse("alliances:recognition", args=[trio.alliance.pk])
    response = client.post(url, {"brings": "x" * 1_000_000, "expects": "Être écouté."})
    assert response.status_code == 400
    assert "1000" in response.content.decode() or "1 000" in response.content.decode()
    parent = Ally.objects.get(pk=trio.parent.pk)
    assert (parent.recognition_brings, parent.recognition_expects) == ("", "")
    understanding = reverse("alliances:charter_edit", args=[trio.alliance.pk, "understanding"])
    charter = current_charter(trio.alliance)
    client.post(understanding, {"revision": charter.revision, "text": "y" * 1_000_000})
    assert Charter.objects.get(pk=charter.pk).shared_understanding == ""


# Text fields no person writes: the system fills them.
NOT_WRITTEN_BY_PEOPLE = {
    ("reports", "Report", "failure"),
    ("collectives", "OpinionSnapshot", "error"),
}


def test_every_text_field_of_a_model_states_its_maximum():
    missing = [
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("alliance.")
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and field.max_length is None
    ]
    assert set(missing) == NOT_WRITTEN_BY_PEOPLE


def test_every_text_field_of_a_form_states_its_maximum():
    """A form field carries the maximum (`max_length`), or hints it to the browser and
    leaves the message to the use case, which checks it (`alliance.limits`)."""
    missing = [
        (cls.__name__, name)
        for cls in _www_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and field.max_length is None
        and "maxlength" not in field.widget.attrs
    ]
    assert missing == []
    assert len(list(_www_forms())) > 30
