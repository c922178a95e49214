"""French date formats (FORMAT_MODULE_PATH, ADR 0027): the administrative style of
the Lexique des règles typographiques — "1er avril 2026 à 17 h 52". Django's "j"
writes "1"; alliance.dates turns it into "1er" on the first of the month. The other
settings (input formats, separators) stay Django's."""

from django.conf.locale.fr.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
TIME_FORMAT = r"G \h i"
DATETIME_FORMAT = r"j F Y \à G \h i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = r"d/m/Y \à G \h i"
