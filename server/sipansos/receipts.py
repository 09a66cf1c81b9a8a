"""Check a capture receipt offline, with only the server's public key.

    python -m sipansos.receipts receipt.json --public-key key.pem [--manifest manifest.json]

The public key is published at ``/api/v1/keys``; the manifest at
``/api/v1/captures/<id>/manifest``. Exit status 0 when everything checks out, 1 otherwise.
"""

import argparse
import hashlib
import json
import sys

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from .services.signing import key_id, verify_manifest_signature


def check_receipt(receipt, public_key, manifest_bytes=None):
    """Problems with a receipt (a dict) under ``public_key``; empty when it is genuine."""
    problems = []
    digest = receipt.get("manifest_sha256", "")
    if receipt.get("key_id") and receipt["key_id"] != key_id(public_key):
        problems.append(
            f"receipt names key {receipt['key_id']}, not this key ({key_id(public_key)})"
        )
    if not verify_manifest_signature(public_key, digest, receipt.get("signature", "")):
        problems.append("the signature does not match the manifest digest under this key")
    if manifest_bytes is not None:
        actual = hashlib.sha256(manifest_bytes).hexdigest()
        if actual != digest:
            problems.append(f"the manifest file hashes to {actual}, the receipt says {digest}")
        else:
            manifest = json.loads(manifest_bytes)
            if manifest.get("capture_id") != receipt.get("capture_id"):
                problems.append("the manifest belongs to another capture")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check a SIPANSOS capture receipt offline.")
    parser.add_argument("receipt", type=argparse.FileType("rb"))
    parser.add_argument("--public-key", required=True, type=argparse.FileType("rb"))
    parser.add_argument("--manifest", type=argparse.FileType("rb"))
    args = parser.parse_args(argv)
    receipt = json.load(args.receipt)
    public_key = load_pem_public_key(args.public_key.read())
    manifest = args.manifest.read() if args.manifest else None
    problems = check_receipt(receipt, public_key, manifest)
    for problem in problems:
        print(f"INVALID: {problem}", file=sys.stderr)
    if problems:
        return 1
    checked = " and the manifest" if manifest is not None else ""
    print(f"Receipt for capture {receipt.get('capture_id')} is genuine{checked}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
