"""Evidence packages in the WACZ format (Web Archive Collection Zipped, version 1.1.1).

A package holds, for each capture: every stored artifact byte for byte (``evidence/``), the
signed manifest and receipt (``receipts/``), and a WARC in which the captured DOM answers for the
page's URL, so web-archive players can open it. ``datapackage.json`` lists every file with its
SHA-256 and ``datapackage-digest.json`` pins the package list itself. The WACZ validator only
accepts files exactly one folder deep, hence the flat folders.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from tempfile import SpooledTemporaryFile, TemporaryFile

from cdxj_indexer import CDXJIndexer
from flask import render_template
from warcio.warcwriter import WARCWriter

from ..services.signing import RECEIPT_CONTEXT, key_id, public_key_pem

WACZ_VERSION = "1.1.1"
SPOOL_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
WARC_NAME = "data.warc.gz"


@dataclass
class PackageFile:
    path: str
    sha256: str
    size: int


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _capture_time(capture):
    return capture.client_captured_at or capture.received_at


def artifact_path(capture, artifact):
    return f"evidence/{capture.capture_uuid}_{artifact.name}"


def receipt_document(capture, public_key):
    """The receipt as the API gives it, plus what checking it needs."""
    return {
        "capture_id": str(capture.capture_uuid),
        "received_at": _iso(capture.received_at),
        "manifest_sha256": capture.manifest_sha256,
        "signature": capture.signature,
        "key_id": capture.signing_key_id,
        "signature_algorithm": "Ed25519",
        "signed_message": (RECEIPT_CONTEXT.decode() + capture.manifest_sha256),
        "public_key_id": key_id(public_key),
    }


class _PackageWriter:
    """Adds files to the zip uncompressed (WARCs must be stored) and remembers their hashes."""

    def __init__(self, fileobj):
        self.zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        self.files = []

    def add_stream(self, path, stream):
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(zipfile.ZipInfo(path, _zip_time()), "w", force_zip64=True) as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.files.append(PackageFile(path, digest.hexdigest(), size))

    def add_bytes(self, path, data):
        self.add_stream(path, io.BytesIO(data))

    def close(self):
        self.zip.close()


def _zip_time():
    return datetime.now(UTC).timetuple()[:6]


def _write_warc(captures, store, warc_file):
    writer = WARCWriter(warc_file, gzip=True)
    software = f"SIPANSOS {version('sipansos')}"
    writer.write_record(
        writer.create_warcinfo_record(WARC_NAME, {"software": software, "format": "WARC 1.1"})
    )
    for capture in captures:
        warc_date = _iso(_capture_time(capture))
        dom = next((a for a in capture.artifacts if a.kind == "dom_html"), None)
        if dom is not None:
            # The DOM as the operator's browser showed it, recorded for the page URL.
            with store.open(dom.sha256) as reader:
                payload = reader.read()
            record = writer.create_warc_record(
                capture.url,
                "resource",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="text/html; charset=utf-8",
                warc_headers_dict={"WARC-Date": warc_date},
            )
            writer.write_record(record)
        manifest = _manifest_bytes(capture, store)
        writer.write_record(
            writer.create_warc_record(
                f"urn:sipansos:capture:{capture.capture_uuid}:manifest",
                "metadata",
                payload=io.BytesIO(manifest),
                length=len(manifest),
                warc_content_type="application/json",
                warc_headers_dict={"WARC-Date": warc_date},
            )
        )


def _manifest_bytes(capture, store):
    with store.open(capture.manifest_sha256) as reader:
        return reader.read()


def _cdxj_index(warc_file):
    warc_file.seek(0)
    out = io.StringIO()
    CDXJIndexer(out, [warc_file], sort=True, filename=WARC_NAME).process_all()
    return out.getvalue().encode()


def _pages(captures, title):
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": title}]
    for capture in captures:
        lines.append(
            {
                "id": capture.capture_uuid.hex,
                "url": capture.url,
                "ts": _iso(_capture_time(capture)),
                "title": capture.title or capture.url,
            }
        )
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def build_wacz(captures, *, store, public_key, title, description=""):
    """Write a WACZ of ``captures`` into a temporary file and return it, positioned at 0."""
    captures = list(captures)
    package = SpooledTemporaryFile(max_size=SPOOL_BYTES)
    writer = _PackageWriter(package)
    with TemporaryFile() as warc_file:
        _write_warc(captures, store, warc_file)
        warc_file.seek(0)
        writer.add_stream(f"archive/{WARC_NAME}", warc_file)
        writer.add_bytes("indexes/index.cdx", _cdxj_index(warc_file))
    writer.add_bytes("pages/pages.jsonl", _pages(captures, title))
    for capture in captures:
        for artifact in capture.artifacts:
            with store.open(artifact.sha256) as reader:
                writer.add_stream(artifact_path(capture, artifact), reader)
        writer.add_bytes(
            f"receipts/{capture.capture_uuid}_manifest.json", _manifest_bytes(capture, store)
        )
        writer.add_bytes(
            f"receipts/{capture.capture_uuid}_receipt.json",
            json.dumps(receipt_document(capture, public_key), indent=2).encode(),
        )
    writer.add_bytes("receipts/public-key.pem", public_key_pem(public_key).encode())
    writer.add_bytes(
        "receipts/README.txt",
        render_template("exports/wacz_readme.txt", captures=captures, title=title).encode(),
    )
    created = _iso(datetime.now(UTC))
    datapackage = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "description": description,
        "created": created,
        "software": f"SIPANSOS {version('sipansos')}",
        "mainPageURL": captures[0].url if captures else None,
        "mainPageDate": _iso(_capture_time(captures[0])) if captures else None,
        "resources": [
            {
                "name": f.path.replace("/", "-").lower(),
                "path": f.path,
                "hash": f"sha256:{f.sha256}",
                "bytes": f.size,
            }
            for f in writer.files
        ],
    }
    datapackage_bytes = json.dumps(datapackage, indent=2, ensure_ascii=False).encode()
    writer.zip.writestr(zipfile.ZipInfo("datapackage.json", _zip_time()), datapackage_bytes)
    digest = {
        "path": "datapackage.json",
        "hash": f"sha256:{hashlib.sha256(datapackage_bytes).hexdigest()}",
    }
    writer.zip.writestr(
        zipfile.ZipInfo("datapackage-digest.json", _zip_time()), json.dumps(digest, indent=2)
    )
    writer.close()
    package.seek(0)
    return package
