"""The users of the load test (run by benchmarks/load_test.py, not by hand).

Each simulated user is one signed-in ally of one alliance (persona prepared by
load_test.py: its session cookie, its alliance, the statements it may vote on), who
browses its home, alliance, charter, journal and weather pages, votes (htmx, as the
page does) and writes journal entries, waiting 1–3 s between actions.

The requests go to gunicorn over loopback with `X-Forwarded-Proto: https`, as the
reverse proxy of production would send them (SECURE_SSL_REDIRECT, secure cookies,
the CSRF origin check). Every write the server acknowledges (a vote answered 200, a
journal entry answered by its redirect) is kept and written to LOADTEST_ACKS at the
end, so that load_test.py checks each one is in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid
from pathlib import Path

from locust import FastHttpUser, between, events, task

PERSONAS = json.loads(Path(os.environ["LOADTEST_PERSONAS"]).read_text())
RUN = os.environ.get("LOADTEST_RUN", uuid.uuid4().hex[:8])
_next = itertools.count()
_lock = threading.Lock()
ACKS = {"votes": [], "journal": []}
VALUES = ("agree", "disagree", "unsure", "pass")


class Ally(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            self.persona = PERSONAS[next(_next) % len(PERSONAS)]
        p = self.persona
        origin = f"https://{self.host.split('://', 1)[1]}"
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": f"{p['session_cookie']}={p['session']}; {p['csrf_cookie']}={p['csrf']}",
            "Origin": origin,
            "Referer": f"{origin}/",
        }
        self.base = f"/alliances/{p['alliance']}/"

    def _get(self, path, name):
        self.client.get(path, headers=self.headers, name=name)

    @task(3)
    def home(self):
        self._get("/", "home")

    @task(4)
    def overview(self):
        self._get(self.base, "overview")

    @task(2)
    def charter(self):
        self._get(self.base + "charter/", "charter")

    @task(1)
    def journal(self):
        self._get(self.base + "journal/", "journal")

    @task(1)
    def weather(self):
        self._get(self.base + "weather/", "weather")

    @task(3)
    def vote(self):
        statements = self.persona["statements"]
        if not statements:
            return
        statement, value = random.choice(statements), random.choice(VALUES)
        with self.client.post(
            f"{self.base}statements/{statement}/vote/",
            data={"value": value},
            headers={**self.headers, "HX-Request": "true", "X-CSRFToken": self.persona["csrf"]},
            name="vote (htmx)",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                ACKS["votes"].append([self.persona["ally"], statement, value])
                response.success()
            else:
                response.failure(f"vote answered {response.status_code}")

    @task(1)
    def write_journal(self):
        marker = f"Point d’étape {RUN}-{uuid.uuid4().hex[:12]} : la rencontre s’est bien passée."
        with self.client.post(
            self.base + "journal/",
            data={"happened": marker, "emerged": "", "action": ""},
            headers={**self.headers, "X-CSRFToken": self.persona["csrf"]},
            name="journal entry",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                self.base + "journal/"
            ):
                ACKS["journal"].append([self.persona["ally"], marker])
                response.success()
            else:
                response.failure(f"journal entry answered {response.status_code}")


@events.quitting.add_listener
def _write_acks(environment, **kwargs):
    with open(os.environ["LOADTEST_ACKS"], "w") as out:
        json.dump(ACKS, out)
