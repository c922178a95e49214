"""The register of personal data is complete: every model of Alliance (and of the
sign-in apps it uses) is either a holder of personal data, with lookups that work,
or named among those that hold none, with a reason."""

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from alliance.privacy.registry import NO_PERSONAL_DATA, PERSONAL_DATA
from tests.factories import UserFactory

# The apps whose models the register must cover: ours, and those that keep rows
# about a user (sign-in, second factors, sessions, background tasks).
COVERED_APPS = {
    "auth",
    "contenttypes",
    "sessions",
    "django_tasks_database",
    "otp_totp",
    "otp_static",
    "django_otp_webauthn",
}


def _covered_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("alliance.") or model._meta.app_label in COVERED_APPS
    ]


def test_every_model_is_classified():
    holders = {h.label for h in PERSONAL_DATA}
    missing = [
        model._meta.label
        for model in _covered_models()
        if model._meta.label not in holders and model._meta.label not in NO_PERSONAL_DATA
    ]
    assert not missing, f"Say in alliance/privacy/registry.py what these hold: {missing}"


def test_no_model_is_in_both_lists_or_twice():
    labels = [h.label for h in PERSONAL_DATA]
    assert len(labels) == len(set(labels))
    assert not set(labels) & set(NO_PERSONAL_DATA)
    kinds = [h.kind for h in PERSONAL_DATA]
    assert len(kinds) == len(set(kinds))
    assert all(reason.strip() for reason in NO_PERSONAL_DATA.values())


def test_every_name_in_the_register_is_a_model():
    for label in [h.label for h in PERSONAL_DATA] + list(NO_PERSONAL_DATA):
        apps.get_model(label)


@pytest.mark.parametrize("holder", PERSONAL_DATA, ids=lambda h: h.label)
def test_fields_exist(holder):
    for name in holder.fields:
        try:
            holder.model._meta.get_field(name)
        except FieldDoesNotExist:
            pytest.fail(f"{holder.label} has no field {name!r}")


@pytest.mark.django_db
@pytest.mark.parametrize("holder", PERSONAL_DATA, ids=lambda h: h.label)
def test_lookups_run(holder):
    user = UserFactory()
    assert holder.about or holder.of_the_person
    list(holder.rows_about(user))
    if holder.alliance is not None:
        list(holder.rows_about(user, alliance_ids=[1]))
    else:
        assert not holder.rows_about(user, alliance_ids=[1]).exists()
