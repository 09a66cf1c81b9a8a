"""The README's run command: local S3, migrations, first admin, server; data kept on restart."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(instance, port):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SIPANSOS_")},
        "SIPANSOS_INSTANCE_PATH": str(instance),
        "SIPANSOS_PORT": str(port),
        "SIPANSOS_LOCAL_S3_PORTS": "auto",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sipansos.local"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Stop with Ctrl+C"):
            return process, "".join(lines)
    process.kill()
    pytest.fail("run command did not come up:\n" + "".join(lines))


def _wait_for_http(url):
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return json.load(response)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _token_status(port, username, password):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/tokens",
        data=json.dumps({"username": username, "password": password, "name": "t"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback
            return 201
    except urllib.error.HTTPError as exc:
        return exc.code


def _stop(process):
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 0, output
    return output


def test_run_command_starts_everything_and_keeps_data(tmp_path):
    instance = tmp_path / "instance"
    port = _free_port()
    process, banner = _start(instance, port)
    try:
        assert f"SIPANSOS is running at http://127.0.0.1:{port}/" in banner
        assert "Object Lock is not available" not in banner
        password = re.search(r"password: (\S+)", banner).group(1)
        assert _wait_for_http(f"http://127.0.0.1:{port}/api/v1/health")["status"] == "ok"
        # The first admin exists with the printed password, which must be changed first.
        assert _token_status(port, "admin", password) == 403
        assert _token_status(port, "admin", "not the password") == 401
    finally:
        output = _stop(process)
    assert "Stopping local S3" in output
    assert (instance / "sipansos.db").exists()
    assert (instance / "s3" / "security.toml").exists()

    process, banner = _start(instance, port)
    try:
        assert "First admin account created" not in banner
        _wait_for_http(f"http://127.0.0.1:{port}/api/v1/health")
        assert _token_status(port, "admin", password) == 403  # same database, same admin
    finally:
        _stop(process)
