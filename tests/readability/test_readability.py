"""The easy-read check (alliance/readability.py) on small pages: each rule, what it
lets through, and the allies' own words it leaves alone."""

import pytest

from alliance import readability as r

JARGON = ["asymétrie", "périmètre", "indicateur", "socle commun", "co-action", "point d'étape"]


def page(main="", *, outside=""):
    head = "<head><title>Ignored title</title></head>"
    return f"<!DOCTYPE html><html>{head}<body>{outside}<main>{main}</main></body></html>"


def rules(html, **options):
    return [v.rule for v in r.check(html, jargon=JARGON, **options)]


def words(n, word="mot"):
    return " ".join([word] * n)


# ------------------------------------------------------------------ sentences


def test_a_page_that_follows_every_rule_passes():
    html = page(
        "<h1>Notre accord</h1><p>Tu peux signer notre accord. C'est important !</p>"
        '<a class="tile" href="/x"><img class="picto" src="/a.svg" alt=""> Notre accord</a>'
        '<button type="submit">Je signe</button>'
    )
    assert r.check(html, jargon=JARGON) == []


def test_fifteen_words_pass_sixteen_fail():
    assert rules(page(f"<p>{words(15)}.</p>")) == []
    [violation] = r.check(page(f"<p>{words(16)}.</p>"))
    assert violation.rule == r.LONG_SENTENCE
    assert violation.text.startswith("16 words: mot mot")


@pytest.mark.parametrize("end", [".", "!", "?", ":", "…"])
def test_sentences_end_at_each_stop_followed_by_a_space(end):
    assert rules(page(f"<p>{words(10)}{end} {words(10)}.</p>")) == []


def test_a_stop_inside_a_number_or_an_hour_does_not_end_a_sentence():
    assert rules(page(f"<p>{words(8)} 3.5 {words(7)}</p>")) == [r.LONG_SENTENCE]
    assert rules(page(f"<p>{words(8)} 10:30 {words(7)}</p>")) == [r.LONG_SENTENCE]


@pytest.mark.parametrize(
    "template",
    [
        "<ul><li>{a}</li><li>{b}</li></ul>",
        "<h2>{a}</h2>{b}",
        "<label>{a}<input name=x></label><button>{b}</button>",
        "<div>{a}</div><div>{b}</div>",
        "<table><tr><th>{a}</th><td>{b}</td></tr></table>",
        "<select><option>{a}</option><option>{b}</option></select>",
        "{a}<br>{b}",
    ],
)
def test_list_items_headings_labels_buttons_cells_are_sentences_of_their_own(template):
    assert rules(page(template.format(a=words(10), b=words(10)))) == []


def test_inline_elements_do_not_cut_a_sentence():
    html = page(f"<p>{words(8)} <a href='/x'>{words(4)}</a> <strong>{words(4)}</strong>.</p>")
    assert rules(html) == [r.LONG_SENTENCE]


def test_header_and_footer_are_checked_too():
    assert rules(page("", outside=f"<header><p>{words(16)}</p></header>")) == [r.LONG_SENTENCE]


def test_what_only_a_screen_reader_hears_is_checked_as_a_sentence():
    assert rules(page(f"<a href='/x' aria-label='{words(16)}'>Oui</a>")) == [r.LONG_SENTENCE]
    assert rules(page(f"<img src='/x.svg' alt='{words(16)}'>")) == [r.LONG_SENTENCE]
    assert rules(page(f"<p>Oui<span class='visually-hidden'> {words(16)}</span></p>")) == [
        r.LONG_SENTENCE
    ]


def test_an_aria_label_does_not_cut_the_sentence_around_it():
    html = page(f"<p>{words(8)} <a href='/x' aria-label='Lien'>{words(8)}</a></p>")
    assert rules(html) == [r.LONG_SENTENCE]


def test_scripts_styles_templates_and_hidden_elements_are_not_read():
    html = page(
        f"<script>{words(30)}</script><style>{words(30)}</style>"
        f"<template><p>{words(30)}</p></template><p hidden>{words(300)}</p>"
    )
    assert rules(html) == []


def test_the_same_long_sentence_is_reported_once():
    html = page(f"<p>{words(16)}</p><p>{words(16)}</p>")
    assert rules(html) == [r.LONG_SENTENCE]


# ------------------------------------------------------------------ the allies' words


def test_the_allies_words_are_not_checked_as_sentences_jargon_or_point_median():
    html = page(
        f"<blockquote data-user-text>{words(40)}. Le périmètre, reconnu·e.</blockquote>"
        f"<textarea name=t>{words(40)} socle commun</textarea>"
    )
    assert rules(html) == []


def test_the_words_of_the_product_around_the_allies_words_are_checked():
    html = page(f"<p>{words(10)} <q data-user-text>{words(10)}</q> {words(6)}</p>")
    assert rules(html) == [r.LONG_SENTENCE]


def test_the_allies_words_count_towards_the_words_of_main():
    html = page(f"<p data-user-text>{words(150)}</p><p>{words(10)}.</p>" * 2)
    assert rules(html) == [r.TOO_MANY_WORDS]


# ------------------------------------------------------------------ words in <main>


def test_two_hundred_words_in_main_pass_two_hundred_and_one_fail():
    assert rules(page(f"<p>{words(10)}.</p>" * 20)) == []
    html = page(f"<p>{words(10)}.</p>" * 20 + "<p>Fin.</p>")
    [violation] = r.check(html)
    assert violation.rule == r.TOO_MANY_WORDS
    assert violation.text.startswith("201 words in <main>")


def test_words_inside_a_more_disclosure_do_not_count_but_its_summary_does():
    more = f'<details class="more"><summary>En savoir plus</summary>{"<p>Mot.</p>" * 500}</details>'
    assert rules(page(f"<p>{words(10)}.</p>" * 19 + more)) == []
    assert r.main_words(page(f"<p>{words(10)}.</p>" * 19 + more), all_of_main=False) == 193
    assert rules(page(f"<p>{words(10)}.</p>" * 20 + more)) == [r.TOO_MANY_WORDS]


def test_a_details_that_is_not_a_more_disclosure_counts():
    html = page(f"<details><summary>Plus</summary>{'<p>Mot.</p>' * 201}</details>")
    assert rules(html) == [r.TOO_MANY_WORDS]


def test_words_outside_main_visually_hidden_or_in_pictures_do_not_count():
    html = page(
        f"<p class='visually-hidden'>{'Mot. ' * 300}</p>"
        f"<svg role='img' aria-label='Carte'><text>{'Mot ' * 300}</text></svg>",
        outside=f"<nav>{'<p>Mot.</p>' * 300}</nav>",
    )
    assert rules(html) == []


def test_main_words_counts_what_main_shows():
    html = page(
        "<h1>Notre accord</h1><p>Je signe l'accord — ici.</p>"
        '<details class="more"><summary>Plus</summary><p>Trois mots ici.</p></details>',
        outside="<nav>Accueil</nav>",
    )
    assert r.main_words(html) == 2 + 4 + 1 + 3
    assert r.main_words(html, all_of_main=False) == 2 + 4 + 1
    assert r.main_words("<p>no main</p>") == 0


# ------------------------------------------------------------------ jargon and point médian


@pytest.mark.parametrize(
    "text",
    [
        "Les Asymétries.",
        "ASYMETRIE",
        "Le perimetre.",
        "Trois indicateurs.",
        "L'indicateur.",
        "Le socle   commun.",
        "Le Socle Commun.",
        "Le plan de co-action.",
        "Les points d’étape.",  # curly apostrophe, plural on the first word
    ],
)
def test_jargon_is_found_whole_word_whatever_the_case_and_accents(text):
    if "points" in text:
        # A plural inside a phrase is its own entry in the list: "point d'étape" only.
        assert rules(page(f"<p>{text}</p>")) == []
        assert rules(page("<p>Le point d’étape.</p>")) == [r.JARGON]
    else:
        assert rules(page(f"<p>{text}</p>")) == [r.JARGON]


@pytest.mark.parametrize("text", ["Indicatrice.", "Action.", "Socle.", "Commun.", "Péri."])
def test_jargon_is_not_found_inside_other_words(text):
    assert rules(page(f"<p>{text}</p>")) == []


def test_jargon_is_found_in_what_a_screen_reader_hears():
    assert rules(page("<button aria-label='Voir les indicateurs'>Voir</button>")) == [r.JARGON]


def test_a_point_median_inside_a_word_is_reported_a_separator_is_not():
    assert rules(page("<p>Tu es reconnu·e.</p>")) == [r.POINT_MEDIAN]
    assert rules(page("<p>Les professionnel⋅les.</p>")) == [r.POINT_MEDIAN]
    assert rules(page("<p>Noé · Samir · Julie</p>")) == []


def test_load_jargon_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "jargon.txt"
    path.write_text("# words a person does not use\nasymétrie\n\n  socle commun  # the charter\n")
    assert r.load_jargon(path) == ["asymétrie", "socle commun"]


# ------------------------------------------------------------------ pictures


def test_an_image_without_alt_is_reported():
    [violation] = r.check(page("<p>Texte <img src='/a.svg'></p>"))
    assert violation == r.Violation(r.IMG_WITHOUT_ALT, "/a.svg")


@pytest.mark.parametrize(
    "html",
    [
        "<a href='/x'><img src='/a.svg' alt=''> Notre accord</a>",
        "<a href='/x'><span><img src='/a.svg' alt=''></span><span>Notre accord</span></a>",
        "<li><img src='/a.svg' alt=''><a href='/x'>Notre accord</a></li>",
        "<div class='tile'><img src='/a.svg' alt=''><p>Notre accord</p></div>",
        "<button><img src='/a.svg' alt=''>Je signe</button>",
    ],
)
def test_a_decorative_picture_beside_its_word_passes(html):
    assert rules(page(html)) == []


@pytest.mark.parametrize(
    "html",
    [
        "<div class='tiles'><a href='/x'><img src='/a.svg' alt=''></a><a href='/y'>Mot</a></div>",
        "<a href='/x' aria-label='Notre accord'><img src='/a.svg' alt=''></a>",
        "<a href='/x'><img src='/a.svg' alt=''><span class='visually-hidden'>Accord</span></a>",
        "<p><span><img src='/a.svg' alt=''></span></p>",
    ],
)
def test_a_decorative_picture_alone_is_reported(html):
    assert rules(page(html)) == [r.PICTURE_ALONE]


def test_a_picture_with_its_text_alternative_may_stand_alone():
    assert rules(page("<a href='/x'><img src='/a.svg' alt='Notre accord'></a>")) == []


# ------------------------------------------------------------------ svg


@pytest.mark.parametrize(
    "svg",
    [
        "<svg aria-hidden='true'><circle r='1'/></svg>",
        "<svg role='img' aria-label='Une brouette'><path d='M0 0'/></svg>",
        "<svg role='img'><title>Une brouette</title><path d='M0 0'/></svg>",
        "<svg role='img' aria-labelledby='t1'><title id='t1'>Une brouette</title></svg>",
    ],
)
def test_an_svg_hidden_or_named_as_an_image_passes(svg):
    assert rules(page(f"<p>Mot {svg}</p>")) == []


@pytest.mark.parametrize(
    "svg",
    [
        "<svg class='drawing'><path d='M0 0'/></svg>",
        "<svg aria-label='Une brouette'><path d='M0 0'/></svg>",
        "<svg role='img'><path d='M0 0'/></svg>",
        "<svg role='img'><title> </title></svg>",
    ],
)
def test_an_svg_without_a_name_is_reported(svg):
    assert rules(page(f"<p>Mot {svg}</p>")) == [r.SVG_WITHOUT_NAME]


def test_the_title_of_a_named_svg_is_checked_as_a_sentence():
    html = page(f"<svg role='img'><title>{words(16)}</title></svg>")
    assert rules(html) == [r.LONG_SENTENCE]


# ------------------------------------------------------------------ parsing


def test_a_forgotten_end_tag_does_not_swallow_the_rest_of_the_page():
    html = page("<ul><li>Un<li>Deux</ul><p>Trois.</p>") + "<footer><p>Fin.</p></footer>"
    assert rules(html) == []
    assert r.main_words(html) == 3


def test_the_violation_reads_well():
    assert str(r.Violation(r.JARGON, "'socle' in: Le socle")) == "[jargon] 'socle' in: Le socle"


def test_the_same_violation_is_reported_once():
    html = page("<p>Tu es reconnu·e.</p>" * 3 + "<img src='/a.svg'>" * 2)
    assert rules(html) == [r.IMG_WITHOUT_ALT, r.POINT_MEDIAN]


def test_a_child_is_never_told_vous_in_our_words():
    html = page("<p>Tu peux changer ta réponse.</p><p data-user-text>Merci à vous !</p>")
    assert rules(html, informal=True) == []
    for said in ("Vous pouvez changer.", "Votre accord.", "Vos messages."):
        assert rules(page(f"<p>{said}</p>"), informal=True) == [r.FORMAL_YOU]
        assert rules(page(f"<p>{said}</p>")) == []
    assert rules(page("<button aria-label='Voir vos messages'>Voir</button>"), informal=True) == [
        r.FORMAL_YOU
    ]
