from django.core import checks

from .locales import project_locale_dirs
from .translations import catalogues, compiled_path, is_stale


@checks.register(checks.Tags.translation, deploy=True)
def compiled_translations(app_configs, **kwargs):
    """A deployment must never show English under lang="fr": every catalogue is
    compiled, and no .mo is older than its .po."""
    return [
        checks.Error(
            f"{compiled_path(po_path)} is missing or older than {po_path.name}.",
            hint="Run `alliance compile_translations` at build time (docs/deploy.md).",
            id="operations.E001",
        )
        for po_path in catalogues(project_locale_dirs())
        if is_stale(po_path)
    ]
