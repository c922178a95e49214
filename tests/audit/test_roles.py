"""The application's PostgreSQL role owns nothing: connected as it, nobody can empty
the audit trail, switch off or drop its trigger, or change its rows, while the
application's ordinary work goes on. On SQLite (no roles) the triggers are the guard:
each test asserts the SQLite equivalent there."""

import contextlib

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from alliance.audit.roles import AUDIT_TABLE, grant_app_role, role_exists

APP_ROLE = "alliance_app"  # on SQLite, where no role is made


def _app_role_name():
    """Roles belong to the whole PostgreSQL server: one for each test database (each
    person, each pytest-xdist worker), so parallel runs never make the same role."""
    return f"{connection.settings_dict['NAME']}_app"


TRIGGERS_ON_SQLITE = {"audit_entry_no_update", "audit_entry_no_delete"}


def _connect(user, *, autocommit=False):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        dbname=settings["NAME"],
        user=user,
        autocommit=autocommit,
    )


def _create_role(role):
    """As in scripts/ensure_postgres.sh: the test role may lack CREATEROLE, the local
    superuser (trusted on 127.0.0.1, as there) does not."""
    create = f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
    try:
        with connection.cursor() as cursor:
            cursor.execute(create)
    except DatabaseError:
        # DuplicateObject: made meanwhile by another run on the same server.
        with (
            _connect("postgres", autocommit=True) as superuser,
            contextlib.suppress(psycopg.errors.DuplicateObject),
        ):
            superuser.execute(create)


@pytest.fixture(scope="session")
def app_role(django_db_setup, django_db_blocker):
    """The application role on the test database, with the grants applied (outside
    any test's transaction, so that its own connection sees them)."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return None
        role = _app_role_name()
        if not role_exists(connection, role):
            _create_role(role)
        grant_app_role(role)
    return role


@pytest.fixture
def as_app(app_role, db):
    """A connection as the application role, in a transaction rolled back at the end."""
    if app_role is None:
        assert connection.vendor == "sqlite"
        yield None
        return
    with _connect(app_role) as app:
        yield app
        app.rollback()


def _add_entry(app):
    return app.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor_label, action, target_type, detail) "
        "VALUES (now(), 'app', 'sign_in', '', '{}') RETURNING id"
    ).fetchone()[0]


# What the application role tries on PostgreSQL, and the same attempt on SQLite (None:
# SQLite has no such statement, nor roles; its triggers are then checked to be there).
REFUSED = {
    "truncate": (f"TRUNCATE {AUDIT_TABLE}", f"DELETE FROM {AUDIT_TABLE}"),
    "disable the trigger": (
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER audit_entry_no_update_delete",
        None,
    ),
    "disable every trigger": (f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER ALL", None),
    "drop the trigger": (f"DROP TRIGGER audit_entry_no_update_delete ON {AUDIT_TABLE}", None),
    "drop the trigger's function": ("DROP FUNCTION audit_entry_append_only()", None),
    "drop the table": (f"DROP TABLE {AUDIT_TABLE}", None),
    "update a row": (
        f"UPDATE {AUDIT_TABLE} SET actor_label = 'someone else' WHERE id = %s",
        f"UPDATE {AUDIT_TABLE} SET actor_label = 'someone else' WHERE id = %s",
    ),
    "delete a row": (
        f"DELETE FROM {AUDIT_TABLE} WHERE id = %s",
        f"DELETE FROM {AUDIT_TABLE} WHERE id = %s",
    ),
}


@pytest.mark.parametrize("attempt", sorted(REFUSED))
def test_the_application_role_cannot_change_the_trail(as_app, attempt):
    on_postgresql, on_sqlite = REFUSED[attempt]
    if as_app is None:
        from alliance.audit.journal import record
        from alliance.audit.models import Action

        entry = record(None, Action.SIGN_IN)
        if on_sqlite is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                assert {name for (name,) in cursor.fetchall()} >= TRIGGERS_ON_SQLITE
            return
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(on_sqlite, [entry.pk] if "%s" in on_sqlite else None)
        return
    entry_id = _add_entry(as_app)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_app.transaction():
        as_app.execute(on_postgresql, [entry_id] if "%s" in on_postgresql else None)
    label = as_app.execute(f"SELECT actor_label FROM {AUDIT_TABLE} WHERE id = %s", [entry_id])
    assert label.fetchone() == ("app",)


def test_the_application_role_does_its_work(as_app):
    """It adds to the trail and reads it, and reads and writes the other tables."""
    if as_app is None:
        assert connection.vendor == "sqlite"
        return
    entry_id = _add_entry(as_app)
    assert as_app.execute(f"SELECT count(*) FROM {AUDIT_TABLE} WHERE id = %s", [entry_id])
    as_app.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        "VALUES ('probe', 'data', now())"
    )
    as_app.execute("UPDATE django_session SET session_data = 'other' WHERE session_key = 'probe'")
    deleted = as_app.execute("DELETE FROM django_session WHERE session_key = 'probe'")
    assert deleted.rowcount == 1
    as_app.execute("UPDATE accounts_user SET display_name = display_name WHERE id = 0")


def test_tables_the_owner_creates_later_are_open_to_the_application_role(app_role, as_app):
    """Default privileges: a table of a later migration needs no new grant."""
    if as_app is None:
        assert connection.vendor == "sqlite"
        return
    owner = connection.settings_dict["USER"]
    with _connect(owner, autocommit=True) as creator:
        creator.execute(
            "CREATE TABLE audit_probe_later (id bigint GENERATED BY DEFAULT AS IDENTITY "
            "PRIMARY KEY, words text)"
        )
        try:
            with _connect(app_role) as app:
                app.execute("INSERT INTO audit_probe_later (words) VALUES ('ok')")
                app.execute("UPDATE audit_probe_later SET words = 'changed'")
                app.execute("DELETE FROM audit_probe_later")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute("TRUNCATE audit_probe_later")
                app.rollback()
        finally:
            creator.execute("DROP TABLE audit_probe_later")


def test_migrate_grants_the_application_role_again(app_role, db, settings):
    settings.ALLIANCE_PG_APP_ROLE = app_role or APP_ROLE
    if app_role is None:
        assert connection.vendor == "sqlite"
        call_command("migrate", verbosity=0)  # no roles: nothing to grant, nothing fails
        return
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON {AUDIT_TABLE}, django_session FROM {app_role}")
    call_command("migrate", verbosity=0)

    def may(table, privilege):
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app_role, table, privilege])
            return cursor.fetchone()[0]

    assert {
        p: may(AUDIT_TABLE, p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
    } == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }
    assert all(may("django_session", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE"))
    assert not may("django_session", "TRUNCATE")


def test_the_application_role_is_never_the_owner(db):
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        with pytest.raises(ValueError, match="PostgreSQL only"):
            grant_app_role(APP_ROLE)
        return
    with pytest.raises(ValueError, match="must not be the owner"):
        grant_app_role(connection.settings_dict["USER"])
