"""The embedded default a newcomer runs: SQLite, demo personas, console email."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
ALLIANCE_DEMO_MODE = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
