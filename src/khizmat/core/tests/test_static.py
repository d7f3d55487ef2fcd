"""Production serves hashed static files: `khizmat collectstatic` must post-process every file (a vendored file that
points at a missing one, such as a source map that is not shipped, stops the whole command)."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_manifest_storage(tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
