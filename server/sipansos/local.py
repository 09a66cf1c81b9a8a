"""``sipansos-local``: the whole system on one machine — SeaweedFS, migrations, first admin, server.

Everything lives in the instance folder (``SIPANSOS_INSTANCE_PATH``, default ``./instance``):
the SQLite database, the S3 data and credentials, and the session secret. Ctrl+C stops it all.
"""

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from . import create_app
from .config import LOCAL_S3_PORTS, local_s3_credentials
from .local_s3 import LocalS3, free_ports
from .models import Role, User
from .services import accounts
from .storage import get_store


def _ensure_first_admin():
    """Create user ``admin`` with a printed temporary password when there is no admin yet."""
    from .extensions import db

    if db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    accounts.create_user(
        None, username="admin", full_name="Administrator", role=Role.ADMIN, password=password
    )
    return password


def main():
    instance = Path(os.environ.get("SIPANSOS_INSTANCE_PATH") or Path.cwd() / "instance").resolve()
    os.environ["SIPANSOS_INSTANCE_PATH"] = str(instance)
    host = os.environ.get("SIPANSOS_HOST", "127.0.0.1")
    port = int(os.environ.get("SIPANSOS_PORT", "5000"))

    creds = local_s3_credentials(instance)
    # "auto" picks free ports, so a second copy (or the test of this command) can run beside.
    ports = free_ports() if os.environ.get("SIPANSOS_LOCAL_S3_PORTS") == "auto" else LOCAL_S3_PORTS
    s3 = LocalS3(
        instance / "s3", access_key=creds["access_key"], secret_key=creds["secret_key"], ports=ports
    )
    print(f"Starting local S3 (SeaweedFS) on {s3.endpoint} …", flush=True)
    s3.start()
    os.environ.setdefault("SIPANSOS_S3_ENDPOINT", s3.endpoint)
    server = None
    try:
        app = create_app()
        with app.app_context():
            upgrade()
            locked = get_store().ensure_bucket()
            password = _ensure_first_admin()
        if not locked:
            print("WARNING: Object Lock is not available on this S3 endpoint.", flush=True)
        server = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--timeout",
                "300",
                "--access-logfile",
                "-",
                "sipansos:create_app()",
            ],
        )
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"  # noqa: S104
        print("\n" + "=" * 64)
        print(f"SIPANSOS is running at {url}")
        if password:
            print("First admin account created:")
            print("  username: admin")
            print(f"  password: {password}   (temporary: you must change it at first sign-in)")
        else:
            print("Sign in with your existing admin account. Lost it? Run:")
            print("  .venv/bin/flask --app sipansos reset-password admin")
        print(f"Data: {instance}")
        print("Stop with Ctrl+C.")
        print("=" * 64 + "\n", flush=True)

        def forward(signum, _frame):
            server.send_signal(signal.SIGTERM)

        # Explicit handlers: a shell that starts us in the background makes SIGINT ignored.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, forward)
        return server.wait()
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        print("Stopping local S3 …", flush=True)
        s3.stop()


if __name__ == "__main__":
    sys.exit(main())
