"""PostgreSQL: the application role still cannot UPDATE the trail, even with the flag
the trigger reads; only the owner's function `audit_pseudonymise` changes names, and
only to a well-formed pseudonym recorded beforehand (ADR 0033)."""

import psycopg
import pytest

from tests.audit.test_roles import app_role, as_app  # noqa: F401

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ACCOUNT = 424242


def _entry(app, account=ACCOUNT):
    return app.execute(
        "INSERT INTO audit_auditentry (at, actor_label, action, target_type, detail) "
        "VALUES (now(), 'admin', 'access_reissued', 'user', %s) RETURNING id",
        [psycopg.types.json.Jsonb({"account": "Zoé Durand", "account_id": account})],
    ).fetchone()[0]


def _count(app):
    return app.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0]


def test_the_application_role_pseudonymises_only_through_the_function(as_app):  # noqa: F811
    app = as_app
    entry = _entry(app)
    app.execute(
        "INSERT INTO audit_auditpseudonym (user_id, pseudonym, at) "
        "VALUES (%s, 'Personne ABCD', now())",
        [ACCOUNT],
    )
    before = _count(app)
    app.execute("SAVEPOINT attempt")
    app.execute("SET LOCAL alliance.audit_pseudonymising = 'on'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute(
            "UPDATE audit_auditentry SET detail = jsonb_set(detail, '{account}', "
            "'\"Personne ABCD\"') WHERE id = %s",
            [entry],
        )
    app.execute("ROLLBACK TO SAVEPOINT attempt")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute("UPDATE audit_auditpseudonym SET pseudonym = 'Someone'")
    app.execute("ROLLBACK TO SAVEPOINT attempt")

    assert app.execute("SELECT audit_pseudonymise(%s)", [ACCOUNT]).fetchone()[0] == 1

    detail = app.execute("SELECT detail FROM audit_auditentry WHERE id = %s", [entry]).fetchone()
    assert detail[0] == {"account": "Personne ABCD", "account_id": ACCOUNT}
    assert _count(app) == before
    # The flag does not outlive the function: a direct UPDATE is refused again.
    assert app.execute("SELECT current_setting('alliance.audit_pseudonymising', true)").fetchone()[
        0
    ] in ("off", "", None)


def test_the_function_refuses_a_name_that_is_not_a_pseudonym(as_app):  # noqa: F811
    app = as_app
    _entry(app, account=ACCOUNT + 1)
    app.execute(
        "INSERT INTO audit_auditpseudonym (user_id, pseudonym, at) VALUES (%s, 'Mallory', now())",
        [ACCOUNT + 1],
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute("SELECT audit_pseudonymise(%s)", [ACCOUNT + 1])
