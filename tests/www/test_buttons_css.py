"""A secondary button looks secondary on a <button class="button button-secondary">
too (issue 12: "Refuser", "Abandonner" looked like the main action because
`button.button` outweighed `.button-secondary`)."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "alliance/www/static/css/alliance.css"


def _specificity(selector: str) -> tuple[int, int, int]:
    ids = selector.count("#")
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]+\]|:(?!:)[\w-]+", selector))
    types = len(re.findall(r"(?:^|[\s>+~])([a-z][\w-]*)", selector))
    return ids, classes, types


def _rules(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            yield selector.strip(), body


def test_the_secondary_background_outweighs_the_main_one():
    rules = list(_rules(CSS.read_text()))
    main = max(
        _specificity(s)
        for s, body in rules
        if s in ("button.button", ".button") and "background" in body
    )
    secondary = [
        _specificity(s)
        for s, body in rules
        if "button-secondary" in s and ":" not in s and "background" in body
    ]
    assert secondary and max(secondary) > main


def test_the_specificity_helper():
    assert _specificity("button.button") == (0, 1, 1)
    assert _specificity(".button.button-secondary") == (0, 2, 0)
