"""Easy-read (issue 11): words and phone screens of each page a person uses, in the
standard reading and in easy-read, as the issue's table measured them.

    .venv/bin/python benchmarks/easy_read.py [--save-before] [--no-write]

Loads the demo (`manage.py demo`) into a SQLite file of its own under
benchmarks/.data/, serves the product from a thread (static files included), and
opens each page in Debian's Chromium (Playwright) on a 360 × 640 phone screen, signed
in as the page's persona, once with the session's reading mode set to "standard"
and once to "easy". For each it counts:
- the words <main> shows (alliance/readability.py: every visible word, the allies'
  words included, those inside a closed "more" disclosure too);
- the words outside `<details class="more">`, which the easy-read rule caps at 200;
- phone screens: the document's height / 640.

`--save-before` keeps the standard figures in benchmarks/easy_read_before.json: the
"before" column, measured on main before issue 11's pages landed. Every run
prints the table and writes the "easy_read" section of benchmarks/RESULTS.md
(unless --no-write) with the before column beside today's two readings.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import socketserver
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
BEFORE = HERE / "easy_read_before.json"
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 360, 640
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMIR, NOE, FATOU = "personne-samir", "personne-noe", "habitante-fatou"
# (label, persona, URL name, what the URL needs). The table first.
PAGES = [
    ("Samir's alliance overview", SAMIR, "alliances:overview", "alliance"),
    ("Noé's (9 years old) overview", NOE, "alliances:overview", "alliance"),
    ("Noé's charter", NOE, "alliances:charter", "alliance"),
    ("Samir's weather", SAMIR, "acting:weather", "alliance"),
    ("Noé's trail (who looked)", NOE, "alliances:trail", "alliance"),
    ("Samir's trail (who looked)", SAMIR, "alliances:trail", "alliance"),
    ("Samir's home", SAMIR, "home", None),
    ("Noé's home", NOE, "home", None),
    ("Noé's notifications", NOE, "notifications:list", None),
    ("Samir's new message (statement)", SAMIR, "alliances:statement_new", "alliance"),
    ("Samir's words (what matters to me)", SAMIR, "alliances:words", "alliance"),
    ("Noé's words (what matters to me)", NOE, "alliances:words", "alliance"),
    ("Noé's votes (do we agree?)", NOE, "alliances:agree", "alliance"),
    ("Samir's charter", SAMIR, "alliances:charter", "alliance"),
    ("Noé's positions (how we walk together)", NOE, "alliances:positions", "alliance"),
    ("Samir's positions", SAMIR, "alliances:positions", "alliance"),
    ("Samir's means (solutions)", SAMIR, "acting:means", "alliance"),
    ("Samir's actions", SAMIR, "acting:actions", "alliance"),
    ("Samir's journal", SAMIR, "acting:journal", "alliance"),
    ("Noé's weather", NOE, "acting:weather", "alliance"),
    ("Noé's indicators (things we follow)", NOE, "acting:indicators", "alliance"),
    ("Samir's reviews (check-ups)", SAMIR, "acting:reviews", "alliance"),
    ("Samir's group (ESAT workshop)", SAMIR, "collectives:detail", "collective"),
    ("Samir's question to the group", SAMIR, "collectives:consultation", "consultation"),
    ("Samir's ballot", SAMIR, "collectives:vote", "consultation"),
    ("Samir's group results", SAMIR, "results:results", "consultation"),
    ("Samir's group results: the poster", SAMIR, "results:poster", "consultation"),
    ("Fatou's request to the town hall", FATOU, "proposals:detail", "proposal"),
    ("Sign-in", None, "accounts:sign_in", None),
    ("Activation (letter code)", None, "accounts:activate", None),
]


# ---------------------------------------------------------------- the product, served


def configure_django():
    DATA.mkdir(exist_ok=True)
    path = DATA / "easy_read.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.environ["ALLIANCE_BENCH_SQLITE"] = str(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.easy_read_settings"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    """The product with its static files, on a free port, in a daemon thread."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler

    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(WSGIHandler()),
        server_class=_ThreadingServer,
        handler_class=_Quiet,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def demo_args():
    """What the URLs need, read from the demo."""
    from alliance.alliances.models import Ally, Role
    from alliance.collectives.models import Collective, Consultation
    from alliance.reports.models import Proposal

    args = {}
    for slug in (SAMIR, NOE):
        person = Ally.objects.get(user__demo_persona=slug, role=Role.PERSON)
        args[slug, "alliance"] = [person.alliance_id]
    workshop = Collective.objects.get(members__user__demo_persona=SAMIR)
    consultation = (
        Consultation.objects.filter(collective=workshop)
        .exclude(status=Consultation.Status.DRAFT)
        .order_by("-pk")
        .first()
    )
    args[SAMIR, "collective"] = [workshop.pk]
    args[SAMIR, "consultation"] = [workshop.pk, consultation.pk]
    neighbourhood = Collective.objects.get(members__user__demo_persona=FATOU)
    args[FATOU, "proposal"] = [Proposal.objects.get(collective=neighbourhood).pk]
    return args


def session_cookie(persona, mode):
    """A session of `persona` (anonymous when None) whose reading mode is `mode`."""
    from django.conf import settings
    from django.test import Client

    from alliance.accounts.models import User

    client = Client()
    if persona is not None:
        client.force_login(User.objects.get(demo_persona=persona))
    session = client.session
    session["reading_mode"] = mode
    session.save()
    return settings.SESSION_COOKIE_NAME, session.session_key


def easy_mode_exists() -> bool:
    """Before issue 11's foundation the session's mode changes nothing: no easy column."""
    try:
        import alliance.www.reading  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- measuring


def measure(browser, base_url, path, persona, mode):
    from alliance import readability

    name, key = session_cookie(persona, mode)
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    context.add_cookies([{"name": name, "value": key, "url": base_url}])
    page = context.new_page()
    response = page.goto(path)
    if response is None or response.status != 200:
        status = response.status if response else "nothing"
        context.close()
        raise SystemExit(f"{path} as {persona} ({mode}) answered {status}")
    if urlsplit(response.url).path != path:
        # An easy-read page only (the standard reading sends elsewhere): not measured.
        context.close()
        return None
    html = response.text()
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
    )
    context.close()
    return {
        "words": readability.main_words(html),
        "outside_more": readability.main_words(html, all_of_main=False),
        "screens": round(height / HEIGHT, 1),
    }


def run():
    from django.urls import NoReverseMatch, reverse
    from playwright.sync_api import sync_playwright

    base_url = serve()
    args = demo_args()
    modes = ["standard", "easy"] if easy_mode_exists() else ["standard"]
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for label, persona, name, needs in PAGES:
            row = {"page": label, "url_name": name, "persona": persona or "anonymous"}
            try:
                path = reverse(name, args=args[persona, needs] if needs else [])
            except NoReverseMatch:  # an easy-read page not there yet
                rows.append(row)
                print(f"  {label}: no page {name} yet", flush=True)
                continue
            for mode in modes:
                row[mode] = measure(browser, base_url, path, persona, mode)
            rows.append(row)
            print(f"  {label}: " + "; ".join(f"{m} {row[m]}" for m in modes), flush=True)
        browser.close()
    return rows


# ---------------------------------------------------------------- the table


def _figure(value, key):
    if value is None:
        return "—"
    number = value[key]
    return f"{number:,}" if isinstance(number, int) else f"{number}"


def table(rows, before):
    by_label = {row["page"]: row for row in before.get("rows", [])}
    lines = [
        "| person's page | words in `<main>` before | standard now | easy | easy, outside "
        '"more" (≤ 200) | phone screens before | standard now | easy |',
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        was = by_label.get(row["page"], {}).get("standard")
        standard, easy = row.get("standard"), row.get("easy")
        lines.append(
            f"| {row['page']} | {_figure(was, 'words')} | {_figure(standard, 'words')} | "
            f"{_figure(easy, 'words')} | {_figure(easy, 'outside_more')} | "
            f"{_figure(was, 'screens')} | {_figure(standard, 'screens')} | "
            f"{_figure(easy, 'screens')} |"
        )
    return "\n".join(lines)


def section(rows, before):
    measured = before.get("measured", "not yet")
    return (
        "## Easy-read (issue 11)\n\n"
        "`benchmarks/easy_read.py`: each page a person uses, from the demo, in Chromium "
        f"on a {WIDTH} × {HEIGHT} phone screen, signed in as its persona. Words: what "
        "`<main>` shows (alliance/readability.py; the allies' words included). "
        '"Outside more": the words outside `<details class="more">`, which the easy-read '
        "check (tests/www/test_easy_read.py) caps at 200. Phone screens: document height "
        f"/ {HEIGHT}. *Before*: the standard pages on main before issue 11 "
        f"(measured {measured}, benchmarks/easy_read_before.json); *standard now* and "
        "*easy*: the same account, the session's reading mode set to each. The demo is "
        "fresh: its trails hold the demo's story, not twenty minutes of use as in the "
        "issue's table; the sign-in page lists the demo personas (demo mode only). "
        "A dash: not measured (no such page, or no easy-read mode, then).\n\n"
        + table(rows, before)
        + "\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save-before", action="store_true", help="keep the standard figures")
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md as it is")
    options = parser.parse_args()
    print("Loading the demo…", flush=True)
    configure_django()
    rows = run()
    if options.save_before:
        kept = ("page", "url_name", "persona", "standard")
        saved = {
            "measured": datetime.date.today().isoformat(),
            "rows": [{k: row[k] for k in kept} for row in rows],
        }
        BEFORE.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n")
    before = json.loads(BEFORE.read_text()) if BEFORE.exists() else {}
    body = section(rows, before)
    print()
    print(body)
    if not options.no_write:
        from benchmarks._results import write_section

        write_section("easy_read", body)


if __name__ == "__main__":
    main()
