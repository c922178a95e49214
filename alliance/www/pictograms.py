"""The pictograms of the easy-read pages: a concept name → an OpenMoji code
(openmoji.org, CC BY-SA 4.0, credited on the "À propos" page), whose SVG file is in
static/img/openmoji/. One name per concept everywhere (the glossary): a page asks
for "vote", never for a code. Each area keeps its own dictionary."""

COMMON = {
    "home": "1F3E0",
    "news": "1F514",
    "settings": "2699",
    "sign_out": "1F6AA",
    "back": "2B05",
    "listen": "1F50A",
}

ALLIANCES: dict[str, str] = {
    # The tiles of the alliance home, and what waits there.
    "my_words": "1F4AC",  # speech balloon
    "agree": "1F91D",  # handshake
    "charter": "1F4DC",  # scroll
    "doing": "1F6E0",  # hammer and wrench
    "weather": "26C5",  # sun behind cloud
    "allies": "1F465",  # busts in silhouette
    "newcomer": "1F44B",  # waving hand
    "approve": "2705",  # check mark button
    "refuse": "274C",  # cross mark
    "write": "270F",  # pencil
    "sign": "270D",  # writing hand
    "history": "1F4DD",  # memo
    "invite": "2709",  # envelope
    "join": "1F44B",  # waving hand
    "waiting": "23F3",  # hourglass
    "leave": "1F6AA",  # door
    "trail": "1F440",  # eyes
    "talk": "1F5E3",  # speaking head
    # The kinds of message.
    "kind_interest": "2764",  # red heart
    "kind_goal": "1F3AF",  # bullseye
    "kind_means": "1F4A1",  # light bulb
    "kind_concern": "1F61F",  # worried face
    "kind_capacity": "1F4AA",  # flexed biceps
    # The answers to a message.
    "vote_agree": "1F44D",  # thumbs up
    "vote_disagree": "1F44E",  # thumbs down
    "vote_unsure": "1F937",  # person shrugging
    "vote_pass": "23ED",  # next track
    # The parts of life (the perimeter, in everyday words).
    "life_health": "1FA7A",  # stethoscope
    "life_daily_life": "1FAA5",  # toothbrush
    "life_moving": "1F68C",  # bus
    "life_home": "1F3E0",  # house
    "life_school_and_work": "1F3EB",  # school
    "life_friends_and_family": "1F46A",  # family
    "life_money": "1FA99",  # coin
    "life_rights": "2696",  # balance scale
    "life_other": "1F9ED",  # compass
    # How we walk together: the three questions and their answers.
    "question_path": "1F5FA",  # world map
    "question_pace": "23F1",  # stopwatch
    "question_ahead": "1F6B6",  # person walking
    "answer_me": "1F64B",  # person raising hand
    "answer_together": "1F9D1-200D-1F91D-200D-1F9D1",  # people holding hands
    "answer_other": "1F449",  # backhand index pointing right
    # What I bring, what I expect; who decides, who knows.
    "brings": "1F381",  # wrapped gift
    "expects": "1F932",  # palms up together
    "dim_decision_power": "1F5F3",  # ballot box
    "dim_information": "1F4D6",  # open book
    "dim_expertise": "1F527",  # wrench
    "dim_resources": "1F4B0",  # money bag
    "dim_time": "23F0",  # alarm clock
    "dim_mandate": "1F4CB",  # clipboard
    "dim_custom": "2753",  # question mark
}

ACTING: dict[str, str] = {}

COLLECTIVES: dict[str, str] = {}

ACCOUNTS: dict[str, str] = {}


def all_pictograms() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in (COMMON, ALLIANCES, ACTING, COLLECTIVES, ACCOUNTS):
        clashes = merged.keys() & area.keys()
        if clashes:
            raise ValueError(f"pictogram names used twice: {sorted(clashes)}")
        merged.update(area)
    return merged


PICTOGRAMS = all_pictograms()
