"""The embedded default a newcomer runs: SQLite, demo personas, console email."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
ALLIANCE_DEMO_MODE = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Readable log lines in the terminal of `make run`, unless asked otherwise.
LOGGING = logging_config(  # noqa: F405
    fmt=os.environ.get("ALLIANCE_LOG_FORMAT", "console"),  # noqa: F405
    level=os.environ.get("ALLIANCE_LOG_LEVEL", "INFO"),  # noqa: F405
)
