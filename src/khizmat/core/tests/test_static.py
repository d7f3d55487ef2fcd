"""Production serves hashed static files: `khizmat collectstatic` must post-process every file (a vendored file that
points at a missing one, such as a source map that is not shipped, stops the whole command)."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings


def test_collectstatic_with_the_manifest_storage(tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path, STATIC_URL="/static/"):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert (tmp_path / "staticfiles.json").exists()
        # Map markers: collectstatic renames Leaflet's images, so their URLs come from {% static %} (hashed).
        assets = render_to_string("reports/map_assets.html")
    icons = dict(re.findall(r'data-(marker-[\w-]+)="/static/([^"]+)"', assets))
    assert set(icons) == {"marker-icon", "marker-icon-2x", "marker-shadow"}
    for name, path in icons.items():
        assert re.search(rf"{name}\.[0-9a-f]{{12}}\.png$", path), path
        assert (tmp_path / path).exists()


def test_every_map_marker_uses_the_icon_from_static():
    """Leaflet's default icon guesses its images' path from its own files (wrong once they are hashed)."""
    script = Path(finders.find("reports/map.js")).read_text(encoding="utf-8")
    markers = re.findall(r"L\.marker\(([^;]*)\)", script)
    assert markers and all("icon: markerIcon" in call for call in markers)
    assert "new L.Icon(" in script and "markerIcon" in script and "new L.Icon.Default" not in script
