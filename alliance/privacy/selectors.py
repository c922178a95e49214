"""Reads of a person's data for the "my data" page."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from alliance.accounts.models import User

from .registry import PERSONAL_DATA, Holder


@dataclass(frozen=True)
class Holding:
    holder: Holder
    count: int

    @property
    def title(self):
        return self.holder.title


def holdings_of(user) -> list[Holding]:
    """How many rows of each kind the register finds about `user`, in one query (one
    counting subquery per kind); the kinds with none are left out."""
    counts = {}
    for holder in PERSONAL_DATA:
        rows = (
            holder.rows_about(user)
            .order_by()
            .annotate(_all=Value(1))
            .values("_all")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts[f"n_{holder.kind}"] = Coalesce(Subquery(rows, output_field=IntegerField()), 0)
    found = User.objects.filter(pk=user.pk).values(**counts).first() or {}
    return [Holding(h, found[f"n_{h.kind}"]) for h in PERSONAL_DATA if found.get(f"n_{h.kind}")]
