"""The pictograms of the easy-read pages: a concept name → an OpenMoji code
(openmoji.org, CC BY-SA 4.0, credited on the "À propos" page), whose SVG file is in
static/img/openmoji/. One name per concept everywhere (the glossary): a page asks
for "vote", never for a code. Each area keeps its own dictionary."""

# What every area's pages share (helper `art`); chosen from openmoji.json's annotations.
COMMON = {
    "home": "1F3E0",  # house
    "news": "1F514",  # bell
    "settings": "2699",  # gear
    "sign_out": "1F6AA",  # door
    "back": "2B05",  # left arrow
    "listen": "1F50A",  # speaker, high volume
    "help": "2753",  # question mark
    "more": "2795",  # plus: the "more" disclosure
    "yes": "2705",  # check mark button
    "no": "274C",  # cross mark
    "ok": "1F44C",  # OK hand
    "warning": "26A0",  # warning sign
    "calendar": "1F4C5",  # calendar
    "person": "1F464",  # bust in silhouette
    "group": "1F465",  # busts in silhouette
    "write": "270F",  # pencil
    "print": "1F5A8",  # printer
    "about": "2139",  # information: the "About" page
    "words": "1F4D6",  # open book: "Les mots d'Alliance"
    "record": "1F3A4",  # microphone: a voice note
    "file": "1F4C4",  # page facing up: a file (a photo, a letter)
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

ACTING = {
    # Means: the same drawing as the glossary's "means" (COMMON), named for the page.
    "solution": "1F4A1",  # light bulb: une solution
    "stance_for": "1F44D",  # thumbs up: Je suis pour
    "stance_doubts": "1F914",  # thinking face: J'ai des doutes
    "stance_against": "1F44E",  # thumbs down: Je suis contre
    "decided": "2705",  # check mark button: c'est choisi / je choisis
    "waiting_agreement": "23F3",  # hourglass: attend ton accord
    # Actions.
    "our_actions": "1F6E0",  # hammer and wrench: nos actions
    "with_others": "1F91D",  # handshake: avec qui
    "action_done": "2714",  # check mark: c'est fini
    "due_date": "1F4C5",  # calendar: à faire avant le…
    # The journal.
    "our_journal": "1F4D3",  # notebook: le journal
    "journal_write": "270F",  # pencil: j'écris
    # The check-up (bilan).
    "check_up": "1F4CB",  # clipboard: le bilan
    "check_up_prepare": "1F4DD",  # memo: pour préparer le bilan
    # How is it going? (the weather) and the things we follow.
    "how_is_it_going": "26C5",  # sun behind cloud: Comment ça va ?
    "weather_talk": "1F4AC",  # speech balloon: à parler ensemble
    "positions_link": "1F6B6",  # person walking: comment on avance ensemble
    "faces": "1F642",  # slightly smiling face: les réponses en visages
    "things_we_follow": "1F4CC",  # pushpin: les points à suivre
    # News (notifications), one drawing per kind.
    "news_sign": "270D",  # writing hand: notre accord attend ta signature
    "news_soon": "23F0",  # alarm clock: une action est pour demain
    "news_late": "1F6A9",  # triangular flag: une action est en retard
    "news_request": "1F4E9",  # envelope with arrow: une demande
    "news_account": "1F511",  # key: ton accès, ton mot de passe
    "news_people": "1F44B",  # waving hand: qui arrive, qui part
}

COLLECTIVES = {
    # Groups, their questions and ballots ("group" is common).
    "group_members": "1F465",
    "neighbourhood": "1F3D8",
    "workshop": "1F3ED",
    "group_question": "2753",
    "group_messages": "1F4AC",
    "group_write": "1F4DD",
    "ballot": "1F5F3",
    "ballot_agree": "1F44D",
    "ballot_disagree": "1F44E",
    "ballot_skip": "23ED",
    "facilitate": "1F4CB",
    # Results and their poster.
    "group_results": "1F4CA",
    "united": "1F91D",
    "opinion_groups": "1F5E3",
    "poster": "1F5A8",
    "poster_date": "1F4C5",
    # Requests to decision makers.
    "request": "1F4DC",
    "request_sign": "270D",
    "request_signed": "2705",
    "request_answer": "1F4E9",
    # The home: tiles, invitations and what waits for me.
    "home_alliance": "1F9D1-200D-1F91D-200D-1F9D1",
    "home_invitation": "1F4E8",
    "todo": "1F4CC",
    "todo_approve": "1F44B",
    "todo_vote": "1F44D",
    "todo_sign": "270D",
    "todo_stance": "1F914",
    "todo_review": "1F4C5",
    "todo_read": "1F453",
    "todo_weather": "26C5",
    "todo_action": "1F6E0",
}

ACCOUNTS = {
    "sign_in": "1F511",
    "letter": "2709",
    "code": "1F522",
    "email": "1F4E7",
    "phone_lock": "1F4F1",
    "device": "1F513",
    "password": "1F510",
}

# Closing, reopening and handing over an alliance (issue 12).
CASELOAD = {
    "stop_alliance": "1F6D1",  # stop sign: "do we stop the alliance?"
    "closed": "1F512",  # locked: a closed alliance
    "reopen": "1F513",  # unlocked: reopening it
    "replace": "1F504",  # counterclockwise arrows: a colleague takes over
}


# Meetings (issue 12): when, where, who comes, what to bring.
MEETINGS = {
    "meeting": "1F5D3",  # spiral calendar
    "meeting_time": "1F551",  # clock
    "meeting_place": "1F4CD",  # round pushpin
    "meeting_call": "1F4DE",  # telephone receiver
    "meeting_bring": "1F392",  # backpack
    "meeting_coming": "2705",  # check mark button
    "meeting_not_coming": "274C",  # cross mark
    "meeting_maybe": "1F914",  # thinking face
    "meeting_cancelled": "1F6AB",  # prohibited
}

# A person's data (issue 13).
PRIVACY = {
    "my_data": "1F4E6",  # package: mes données, à emporter
}


def all_pictograms() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in (COMMON, ALLIANCES, ACTING, COLLECTIVES, ACCOUNTS, CASELOAD, MEETINGS, PRIVACY):
        clashes = merged.keys() & area.keys()
        if clashes:
            raise ValueError(f"pictogram names used twice: {sorted(clashes)}")
        merged.update(area)
    return merged


PICTOGRAMS = all_pictograms()
