from ninja import Schema


class Me(Schema):
    kind: str
    display_name: str
    scope: str
