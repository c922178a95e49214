"""Case- and accent-insensitive search, the same on SQLite and PostgreSQL: `fold`
makes the words typed comparable, `folded(expression)` does the same to a column in
SQL. Used by every search box that finds people or titles (the caseload, the members
of a collective)."""

import unicodedata

from django.db.models import CharField, Func

# Accented letters folded in SQL the same way on SQLite (whose lower() knows only
# ASCII) and PostgreSQL: the letters of French and of most names met in France.
FOLDS = {
    **dict.fromkeys("àâäáãåÀÂÄÁÃÅ", "a"),
    **dict.fromkeys("çÇ", "c"),
    **dict.fromkeys("éèêëÉÈÊË", "e"),
    **dict.fromkeys("îïíìÎÏÍÌ", "i"),
    **dict.fromkeys("ñÑ", "n"),
    **dict.fromkeys("ôöóòõÔÖÓÒÕ", "o"),
    **dict.fromkeys("ùûüúÙÛÜÚ", "u"),
    **dict.fromkeys("ÿýŸÝ", "y"),
}


def fold(text: str | None) -> str:
    """The words as the search compares them: lower case, without accents."""
    text = unicodedata.normalize("NFC", text or "").strip().lower()
    text = "".join(FOLDS.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class Folded(Func):
    """`fold` in SQL: PostgreSQL translates the accented letters of FOLDS after
    lower(); SQLite, whose lower() knows only ASCII, calls `fold` itself, registered
    on the connection the first time a query needs it."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        letters, plain = "".join(FOLDS), "".join(FOLDS.values())
        return self.as_sql(
            compiler,
            connection,
            template=f"TRANSLATE(LOWER(%(expressions)s), '{letters}', '{plain}')",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        connection.connection.create_function("alliance_fold", 1, fold, deterministic=True)
        return self.as_sql(compiler, connection, function="alliance_fold", **extra)


def folded(expression):
    return Folded(expression)
