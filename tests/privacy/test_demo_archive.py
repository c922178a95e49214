"""The demo's archive: Samir's, ready, told, and downloadable from "Mes données"."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from alliance.notifications.models import Notification
from alliance.privacy.models import DataArchive
from tests.demo.test_demo import persona, run_demo

pytestmark = pytest.mark.django_db


def test_samir_asked_for_his_data_and_the_archive_is_ready(client):
    run_demo()
    samir = persona("personne-samir")
    archive = DataArchive.objects.get(subject=samir)
    assert archive.requested_by == samir and archive.status == DataArchive.Status.READY
    assert Notification.objects.filter(user=samir, kind="data_archive_ready").exists()
    client.force_login(samir)
    page = client.get(reverse("privacy:mine"))
    assert reverse("privacy:download", args=[archive.pk]) in page.content.decode()
    response = client.get(reverse("privacy:download", args=[archive.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as files:
        content = json.loads(files.read("donnees.json"))
    assert content["subject"] == samir.display_name
    assert content["data"]["statements"]["rows"] and content["data"]["weather"]["rows"]
    assert content["trail"]
    # A user who did many things: every kind the register finds about him is there.
    from alliance.privacy.registry import PERSONAL_DATA

    for holder in PERSONAL_DATA:
        # Made after the archive: its file, its news, the session that downloads it.
        made_since = {"archive_files", "notifications", "my_actions", "archives", "sessions"}
        if holder.kind not in made_since:
            rows = content["data"][holder.kind]["rows"]
            assert len(rows) == holder.rows_about(samir).count(), holder.kind
