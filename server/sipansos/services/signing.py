"""The server's Ed25519 receipt key: created on first start, kept outside the database.

A receipt signs ``RECEIPT_CONTEXT + manifest_sha256``; anyone holding the public key can check it
offline (``python -m sipansos.receipts``).
"""

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

RECEIPT_CONTEXT = b"SIPANSOS-RECEIPT-v1\n"


def load_or_create_private_key(path):
    """The private key at ``path``, written there (mode 0600) if it does not exist yet."""
    path = Path(path)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def public_key_pem(public_key):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(public_key):
    """A short, stable name for a public key: the start of the SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_manifest_digest(private_key, manifest_sha256):
    signature = private_key.sign(RECEIPT_CONTEXT + manifest_sha256.encode())
    return base64.b64encode(signature).decode()


def verify_manifest_signature(public_key, manifest_sha256, signature_b64):
    """True when ``signature_b64`` is the key's signature over this manifest digest."""
    if not isinstance(public_key, Ed25519PublicKey):
        return False
    try:
        public_key.verify(
            base64.b64decode(signature_b64, validate=True),
            RECEIPT_CONTEXT + manifest_sha256.encode(),
        )
    except (InvalidSignature, ValueError):
        return False
    return True
