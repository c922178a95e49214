"""Where the product's own catalogues live: the LOCALE_PATHS and the `locale`
directory of each of the project's apps (third-party apps ship compiled ones)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_locale_dirs() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and (path / "locale").is_dir():
            dirs.append(path / "locale")
    return dirs
