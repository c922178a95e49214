"""Which consenting alliances share a common interest, as plain Python (no Django).

An alliance's *needs* are the SERAFIN-PH codes of its signed charter: the life
domains of its perimeter marked "in the alliance", and the need each adopted common
interest speaks of (suggested from its words). Two alliances share an interest when
they have a need code in common. Only alliances whose person (or legal
representative) consented are ever given to this module, so an alliance that did
not consent is neither shown nor counted.
"""

from collections.abc import Mapping, Set


def shared_needs(needs: Mapping[int, Set[str]], alliance_id: int) -> dict[str, int]:
    """For `alliance_id`, each of its needs that other alliances also have, with how
    many other alliances have it (never which ones)."""
    own = needs.get(alliance_id, frozenset())
    counts = dict.fromkeys(sorted(own), 0)
    for other, codes in needs.items():
        if other == alliance_id:
            continue
        for code in own & codes:
            counts[code] += 1
    return {code: n for code, n in counts.items() if n}
