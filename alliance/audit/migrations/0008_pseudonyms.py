"""The one exception to the append-only trail (ADR 0033): once an account is erased,
its name in the trail (`actor_label`, and `detail["account"]` of the access events
naming it) becomes its pseudonym, recorded in `audit_auditpseudonym`. The triggers
accept an UPDATE only when every other column is unchanged and the new name is that
recorded pseudonym; DELETE stays refused.

On PostgreSQL the application role has no UPDATE right on the trail (roles.py): the
owner's function `audit_pseudonymise(user_id)` (SECURITY DEFINER) does the update,
under a transaction-local flag that the trigger also requires. A pseudonym is
"Personne " and hexadecimal digits, which the function checks too."""

from django.db import migrations, models

PG_TRIGGER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('alliance.audit_pseudonymising', true) = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action
       AND NEW.alliance_id IS NOT DISTINCT FROM OLD.alliance_id
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.target_type = OLD.target_type
       AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id
       AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = (
            SELECT pseudonym FROM audit_auditpseudonym WHERE user_id = OLD.actor_id))
       AND (NEW.detail - 'account') = (OLD.detail - 'account')
       AND (NEW.detail -> 'account' IS NOT DISTINCT FROM OLD.detail -> 'account'
            OR NEW.detail ->> 'account' = (
                SELECT pseudonym FROM audit_auditpseudonym
                WHERE user_id::text = OLD.detail ->> 'account_id'))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PG_PSEUDONYMISE = r"""
CREATE OR REPLACE FUNCTION audit_pseudonymise(p_user_id bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    p text;
    changed integer;
BEGIN
    SELECT pseudonym INTO p FROM audit_auditpseudonym WHERE user_id = p_user_id;
    IF p IS NULL OR p !~ '^Personne [0-9A-F]{4,8}$' THEN
        RAISE EXCEPTION 'no pseudonym recorded for account %', p_user_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('alliance.audit_pseudonymising', 'on', true);
    UPDATE audit_auditentry SET
        actor_label = CASE WHEN actor_id = p_user_id THEN p ELSE actor_label END,
        detail = CASE
            WHEN detail ->> 'account_id' = p_user_id::text AND jsonb_exists(detail, 'account')
            THEN jsonb_set(detail, '{account}', to_jsonb(p))
            ELSE detail END
    WHERE actor_id = p_user_id OR detail ->> 'account_id' = p_user_id::text;
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('alliance.audit_pseudonymising', 'off', true);
    RETURN changed;
END;
$$;
"""

PG_BACKWARDS = r"""
DROP FUNCTION IF EXISTS audit_pseudonymise(bigint);
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_UPDATE_TRIGGER = """
CREATE TRIGGER audit_entry_no_update
BEFORE UPDATE ON audit_auditentry
WHEN NOT (
    NEW.id = OLD.id AND NEW.at IS OLD.at AND NEW.actor_id IS OLD.actor_id
    AND NEW.action IS OLD.action AND NEW.alliance_id IS OLD.alliance_id
    AND NEW.organisation_id IS OLD.organisation_id AND NEW.target_type IS OLD.target_type
    AND NEW.target_id IS OLD.target_id
    AND (NEW.actor_label IS OLD.actor_label OR NEW.actor_label IS (
        SELECT pseudonym FROM audit_auditpseudonym WHERE user_id = OLD.actor_id))
    AND (NEW.detail IS OLD.detail OR (
        json_type(OLD.detail, '$.account') IS NOT NULL
        AND (SELECT pseudonym FROM audit_auditpseudonym
             WHERE user_id = json_extract(OLD.detail, '$.account_id')) IS NOT NULL
        AND NEW.detail IS json_set(OLD.detail, '$.account', (
            SELECT pseudonym FROM audit_auditpseudonym
            WHERE user_id = json_extract(OLD.detail, '$.account_id')))))
)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)');
END
"""

SQLITE_OLD_UPDATE_TRIGGER = """
CREATE TRIGGER audit_entry_no_update
BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)');
END
"""

# A recorded pseudonym never changes nor goes: the triggers of the trail trust it.
SQLITE_PSEUDONYM_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_pseudonym_no_{operation.lower()}
    BEFORE {operation} ON audit_auditpseudonym
    BEGIN
        SELECT RAISE(ABORT, 'a recorded pseudonym does not change ({operation} refused)');
    END
    """
    for operation in ("UPDATE", "DELETE")
]

PG_PSEUDONYM_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_pseudonym_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a recorded pseudonym does not change (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_pseudonym_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditpseudonym
    FOR EACH ROW EXECUTE FUNCTION audit_pseudonym_fixed();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER_FUNCTION, params=None)
        schema_editor.execute(PG_PSEUDONYMISE, params=None)
        schema_editor.execute(PG_PSEUDONYM_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update", params=None)
        schema_editor.execute(SQLITE_UPDATE_TRIGGER, params=None)
        for statement in SQLITE_PSEUDONYM_TRIGGERS:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARDS, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update", params=None)
        schema_editor.execute(SQLITE_OLD_UPDATE_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_partition_by_month")]

    operations = [
        migrations.CreateModel(
            name="AuditPseudonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("user_id", models.BigIntegerField(unique=True)),
                ("pseudonym", models.CharField(max_length=40, unique=True)),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
