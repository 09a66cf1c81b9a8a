"""Settings read from ``SIPANSOS_*`` environment variables.

The embedded defaults (SQLite and a local SeaweedFS in the instance folder) need no variables at
all; production (``SIPANSOS_ENV=production``) refuses to start while a secret or the S3 settings
are missing, and names the variable to set.
"""

import json
import os
import secrets
from pathlib import Path

# Ports of the local SeaweedFS started by ``sipansos-local``; gRPC uses port + 10000.
LOCAL_S3_PORTS = {"s3": 18333, "master": 19333, "volume": 18080, "filer": 18888, "admin": 18646}

REQUIRED_IN_PRODUCTION = (
    "SIPANSOS_SECRET_KEY",
    "SIPANSOS_DATABASE_URL",
    "SIPANSOS_S3_ENDPOINT",
    "SIPANSOS_S3_BUCKET",
    "SIPANSOS_S3_ACCESS_KEY",
    "SIPANSOS_S3_SECRET_KEY",
)


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which variable to set."""


def _env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name, default):
    value = _env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _env_bool(name, default):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _instance_secret(path, make):
    """A value generated once and kept, readable by the owner only, in the instance folder."""
    path = Path(path)
    if path.exists():
        return path.read_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def local_s3_credentials(instance_path):
    """Credentials of the embedded SeaweedFS, created once and kept in the instance folder."""
    text = _instance_secret(
        Path(instance_path) / "s3" / "credentials.json",
        lambda: json.dumps(
            {"access_key": secrets.token_hex(10), "secret_key": secrets.token_urlsafe(30)}
        ),
    )
    return json.loads(text)


def load_settings(instance_path, overrides=None):
    """Build the Flask config mapping from the environment, then apply ``overrides``."""
    overrides = dict(overrides or {})
    production = _env("SIPANSOS_ENV", "development") == "production"
    if production:
        missing = [name for name in REQUIRED_IN_PRODUCTION if _env(name) is None]
        if missing:
            raise ConfigError("Production configuration is incomplete; set " + ", ".join(missing))
        if len(_env("SIPANSOS_SECRET_KEY")) < 32:
            raise ConfigError(
                "SIPANSOS_SECRET_KEY must be a random value of at least 32 characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )

    s3_endpoint = _env("SIPANSOS_S3_ENDPOINT")
    access_key = _env("SIPANSOS_S3_ACCESS_KEY")
    secret_key = _env("SIPANSOS_S3_SECRET_KEY")
    if s3_endpoint is None:
        s3_endpoint = f"http://127.0.0.1:{LOCAL_S3_PORTS['s3']}"
    if (access_key is None or secret_key is None) and "S3_ACCESS_KEY" not in overrides:
        creds = local_s3_credentials(instance_path)
        access_key = access_key or creds["access_key"]
        secret_key = secret_key or creds["secret_key"]

    database_url = _env("SIPANSOS_DATABASE_URL", f"sqlite:///{Path(instance_path) / 'sipansos.db'}")
    settings = {
        "ENV_PRODUCTION": production,
        "SECRET_KEY": overrides.get("SECRET_KEY")
        or _env("SIPANSOS_SECRET_KEY")
        or _instance_secret(Path(instance_path) / "secret_key", lambda: secrets.token_urlsafe(48)),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "S3_ENDPOINT": s3_endpoint,
        "S3_REGION": _env("SIPANSOS_S3_REGION", "us-east-1"),
        "S3_BUCKET": _env("SIPANSOS_S3_BUCKET", "sipansos-evidence"),
        "S3_ACCESS_KEY": access_key,
        "S3_SECRET_KEY": secret_key,
        # Object Lock retention for evidence objects; 0 disables per-object retention.
        "S3_RETENTION_DAYS": _env_int("SIPANSOS_S3_RETENTION_DAYS", 3650),
        "S3_RETENTION_MODE": _env("SIPANSOS_S3_RETENTION_MODE", "COMPLIANCE"),
        "MAX_UPLOAD_BYTES": _env_int("SIPANSOS_MAX_UPLOAD_BYTES", 200 * 1024 * 1024),
        # Ed25519 key that signs capture receipts; kept outside the database, created if missing.
        "SIGNING_KEY_PATH": _env(
            "SIPANSOS_SIGNING_KEY_PATH", str(Path(instance_path) / "receipt-signing-key.pem")
        ),
        "RATELIMIT_STORAGE_URI": _env("SIPANSOS_RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": _env("SIPANSOS_LOGIN_RATE_LIMIT", "10 per minute"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": ("id", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SIPANSOS_SECURE_COOKIES", production),
        "REMEMBER_COOKIE_SECURE": _env_bool("SIPANSOS_SECURE_COOKIES", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "TRUSTED_PROXY_COUNT": _env_int("SIPANSOS_TRUSTED_PROXIES", 0),
        # Optional separate origin for captured-page replays, e.g. https://replay.example.org.
        "REPLAY_ORIGIN": _env("SIPANSOS_REPLAY_ORIGIN"),
        # Case register numbers; placeholders: seq, region_code, month_roman, month, year.
        "CASE_NUMBER_FORMAT": _env(
            "SIPANSOS_CASE_NUMBER_FORMAT", "{seq:03d}/PL/PB/Kab/{region_code}/{month_roman}/{year}"
        ),
        # Bawaslu's region code in register numbers (e.g. "16.12"); set per installation.
        "CASE_REGION_CODE": _env("SIPANSOS_CASE_REGION_CODE", "00.00"),
        # The office named on exported documents, e.g. "Bawaslu Kabupaten Musi Rawas".
        "OFFICE_NAME": _env("SIPANSOS_OFFICE_NAME"),
    }
    settings.update(overrides)
    return settings
