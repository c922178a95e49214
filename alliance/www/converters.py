"""Path converters. Every id in a path is a `<id:...>`, registered once in
`alliance/www/urls.py`: digits within the range of a database id (a BigAutoField,
up to 2**63 - 1), so that an id too large for the database is a 404 like any id
that does not exist, never a 500 from the database."""

DATABASE_ID_MAX = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= DATABASE_ID_MAX:
            # Django takes a ValueError as "this URL does not match": a 404.
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))
