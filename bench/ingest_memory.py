"""Peak memory of the server while it ingests a large artifact.

    python -m bench.ingest_memory [--size-mb 150]

Starts a real gunicorn worker (SQLite, a local SeaweedFS), uploads a small capture as the
baseline and then one with an artifact of --size-mb, streaming the request body from disk, and
prints the worker's peak RSS (VmHWM) after each. The ingest path spools to disk and streams to
S3, so the growth should be a small fixed amount, not the artifact's size.
"""

import argparse
import hashlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sipansos.local_s3 import LocalS3, free_ports

_CHUNK = 1024 * 1024


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _peak_rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def _worker_pid(master_pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn worker did not start")


def _write_artifact(path, size):
    """A file that passes the PNG magic-byte check, with incompressible content."""
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        head = b"\x89PNG\r\n\x1a\n"
        fh.write(head)
        digest.update(head)
        remaining = size - len(head)
        while remaining > 0:
            block = os.urandom(min(_CHUNK, remaining))
            fh.write(block)
            digest.update(block)
            remaining -= len(block)
    return digest.hexdigest()


def _upload(port, secret, artifact_path, sha256, size):
    """POST a capture, streaming the multipart body from disk; returns (status, body)."""
    boundary = uuid.uuid4().hex
    manifest = {
        "capture_id": str(uuid.uuid4()),
        "url": "https://example.com/big",
        "captured_at": datetime.now(UTC).isoformat(),
        "artifacts": [
            {
                "name": "big.png",
                "kind": "extra",
                "media_type": "image/png",
                "size": size,
                "sha256": sha256,
            }
        ],
    }
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\n'
        f"{json.dumps(manifest)}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="big.png"; filename="big.png"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", "/api/v1/captures")
    connection.putheader("Authorization", f"Bearer {secret}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    connection.send(head)
    with open(artifact_path, "rb") as fh:
        while block := fh.read(_CHUNK):
            connection.send(block)
    connection.send(tail)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def measure(size_mb, workdir):
    """Start everything in ``workdir``, upload, and return the figures as a dict."""
    workdir = Path(workdir)
    s3 = LocalS3(
        workdir / "s3",
        access_key=secrets.token_hex(10),
        secret_key=secrets.token_urlsafe(30),
        ports=free_ports(),
    )
    s3.start()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SIPANSOS_")},
        "SIPANSOS_INSTANCE_PATH": str(workdir / "instance"),
        "SIPANSOS_S3_ENDPOINT": s3.endpoint,
        "SIPANSOS_S3_ACCESS_KEY": s3.access_key,
        "SIPANSOS_S3_SECRET_KEY": s3.secret_key,
        "SIPANSOS_S3_RETENTION_DAYS": "1",
        "SIPANSOS_MAX_UPLOAD_BYTES": str((size_mb + 10) * 1024 * 1024),
    }
    server = None
    try:
        setup = (
            "from flask_migrate import upgrade\n"
            "from sipansos import create_app\n"
            "from sipansos.services import accounts, tokens\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    upgrade()\n"
            "    user = accounts.create_user(None, username='bench', full_name='Bench',\n"
            "        role='operator', password='bench-password-1', must_change_password=False)\n"
            "    print(tokens.create_token(user, 'bench')[1])\n"
        )
        secret = (
            subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", setup], env=env, check=True, capture_output=True, text=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "600",
                "sipansos:create_app()",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        worker = _worker_pid(server.pid)
        small = workdir / "small.png"
        big = workdir / "big.png"
        small_sha = _write_artifact(small, 64 * 1024)
        big_size = size_mb * 1024 * 1024
        big_sha = _write_artifact(big, big_size)
        for _ in range(100):
            try:
                status, body = _upload(port, secret, small, small_sha, 64 * 1024)
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        if status != 201:
            raise RuntimeError(f"baseline upload failed: {status} {body[:300]!r}")
        baseline = _peak_rss_kib(worker)
        started = time.monotonic()
        status, body = _upload(port, secret, big, big_sha, big_size)
        seconds = time.monotonic() - started
        if status != 201:
            raise RuntimeError(f"large upload failed: {status} {body[:300]!r}")
        peak = _peak_rss_kib(worker)
        return {
            "artifact_mib": size_mb,
            "baseline_peak_mib": baseline / 1024,
            "peak_after_mib": peak / 1024,
            "growth_mib": (peak - baseline) / 1024,
            "growth_per_artifact_mib": (peak - baseline) / 1024 / size_mb,
            "upload_seconds": seconds,
            "throughput_mib_s": size_mb / seconds,
        }
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        s3.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        figures = measure(args.size_mb, workdir)
    for name, value in figures.items():
        print(f"{name:>26}: {value:.2f}" if isinstance(value, float) else f"{name:>26}: {value}")


if __name__ == "__main__":
    main()
