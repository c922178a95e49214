from typing import Annotated

from ninja import Path, Schema


class Me(Schema):
    kind: str
    display_name: str
    scope: str


# A row id in a path: a positive 64-bit integer, as the databases store it. Anything
# else is refused by validation (422) before a query could overflow.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
