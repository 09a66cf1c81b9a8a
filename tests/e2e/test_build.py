"""Packaging: extension/build.py makes dist/sipansos-<version>.zip from the sources."""

import json
import re
import zipfile

import pytest

from extension import build

pytestmark = pytest.mark.e2e


def test_package_holds_the_extension_and_no_development_files(tmp_path):
    target = build.build(out_dir=tmp_path)
    version = json.loads((build.HERE / "manifest.json").read_text())["version"]
    assert target.name == f"sipansos-{version}.zip"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == version
    for required in (
        "service-worker.js",
        "popup/popup.html",
        "options/options.html",
        "offscreen/offscreen.html",
        "content/page-capture.js",
        "_locales/id/messages.json",
        "_locales/en/messages.json",
        "icons/icon-128.png",
    ):
        assert required in names
    assert not {name for name in names if name.endswith((".py", ".md")) or "dist/" in name}
    # Every file the manifest and pages name is in the package.
    for path in manifest["icons"].values():
        assert path in names
    assert manifest["background"]["service_worker"] in names
    # Built twice, the package is byte for byte the same.
    first = target.read_bytes()
    assert build.build(out_dir=tmp_path).read_bytes() == first


def test_every_message_is_translated_in_both_languages():
    locales = build.HERE / "_locales"
    indonesian = json.loads((locales / "id/messages.json").read_text(encoding="utf-8"))
    english = json.loads((locales / "en/messages.json").read_text(encoding="utf-8"))
    assert indonesian.keys() == english.keys()
    used = set()

    for path in build.HERE.rglob("*"):
        if path.suffix in (".js", ".html") and "dist" not in path.parts:
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([A-Za-z0-9_]+)"', text))
            used |= set(re.findall(r'(?:\bt|getMessage)\("([A-Za-z0-9_]+)"', text))
            used |= set(re.findall(r"__MSG_([A-Za-z0-9_]+)__", text))
    used |= set(re.findall(r"__MSG_([A-Za-z0-9_]+)__", (build.HERE / "manifest.json").read_text()))
    assert used and not used - indonesian.keys(), sorted(used - indonesian.keys())
