"""The demo's DUI software (ADR 0029): the platform Les Tilleuls (Hélène's, where
Sophie is the administrator) registers its DUI as an API client, so that the README's
curl example works against the demo.

Its client id and secret are KNOWN demo values, written in the README: that is only
acceptable because the demo loads only in demo mode (ALLIANCE_DEMO_MODE, checked
again here), where every account signs in with one click anyway. A real client's
secret is random and shown once to its administrator.

The content is French data, written for the demo: it is not interface text."""

from django.conf import settings

from alliance.accounts.api_clients import make_api_client
from alliance.accounts.models import ApiClient, hash_secret

DEMO_CLIENT_ID = "alcid_demo-tilleuls"
DEMO_CLIENT_SECRET = "alcs_demo-secret-du-dui-des-tilleuls"  # noqa: S105 (demo mode only)


def load_api_client(people) -> ApiClient | None:
    if not settings.ALLIANCE_DEMO_MODE:
        return None
    client, _random_secret = make_api_client(admin=people["admin"], name="DUI des Tilleuls")
    # The use case drew a random secret; the demo swaps in the one the README shows.
    ApiClient.objects.filter(pk=client.pk).update(
        client_id=DEMO_CLIENT_ID, secret_hash=hash_secret(DEMO_CLIENT_SECRET)
    )
    client.refresh_from_db()
    return client
