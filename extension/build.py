"""Package the extension: ``python extension/build.py`` → ``extension/dist/sipansos-<version>.zip``.

The version comes from manifest.json (its only source). Development files (this script, the
README, dist/, caches, editor and OS litter) stay out of the package. Standard library only.
"""

import argparse
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCLUDED_NAMES = {"build.py", "README.md", ".DS_Store", "Thumbs.db"}
EXCLUDED_DIRS = {"dist", "__pycache__", ".git", "node_modules", "tests"}
EXCLUDED_SUFFIXES = {".pyc", ".map", ".swp", ".orig", ".rej"}
# A fixed timestamp: the same sources give a byte-identical package.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def read_version(source=HERE):
    manifest = json.loads((Path(source) / "manifest.json").read_text(encoding="utf-8"))
    return manifest["version"]


def package_files(source=HERE):
    """The files that go into the package, relative to ``source``, sorted."""
    source = Path(source)
    files = []
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if not path.is_file() or any(part in EXCLUDED_DIRS for part in relative.parts[:-1]):
            continue
        if path.name in EXCLUDED_NAMES or path.suffix in EXCLUDED_SUFFIXES:
            continue
        if path.name.startswith("."):
            continue
        files.append(relative)
    return sorted(files, key=lambda p: p.as_posix())


def build(source=HERE, out_dir=None):
    """Write the zip and return its path."""
    source = Path(source)
    out_dir = Path(out_dir) if out_dir else source / "dist"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"sipansos-{read_version(source)}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in package_files(source):
            info = zipfile.ZipInfo(relative.as_posix(), date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (source / relative).read_bytes())
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder (default: extension/dist)")
    args = parser.parse_args(argv)
    target = build(out_dir=args.out)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
