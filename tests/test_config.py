import json

import pytest

from sipansos import create_app
from sipansos.config import ConfigError, load_settings

PRODUCTION_ENV = {
    "SIPANSOS_ENV": "production",
    "SIPANSOS_SECRET_KEY": "x" * 48,
    "SIPANSOS_DATABASE_URL": "postgresql+psycopg://sipansos@db/sipansos",
    "SIPANSOS_S3_ENDPOINT": "https://s3.example.test",
    "SIPANSOS_S3_BUCKET": "evidence",
    "SIPANSOS_S3_ACCESS_KEY": "key",
    "SIPANSOS_S3_SECRET_KEY": "secret",
}


@pytest.fixture
def clean_env(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith("SIPANSOS_") and name != "SIPANSOS_INSTANCE_PATH":
            monkeypatch.delenv(name)
    return monkeypatch


def test_embedded_defaults_use_instance_folder_and_loopback_s3(clean_env, tmp_path):
    settings = load_settings(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'sipansos.db'}"
    assert settings["S3_ENDPOINT"].startswith("http://127.0.0.1:")
    assert settings["ENV_PRODUCTION"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["MAX_UPLOAD_BYTES"] == 200 * 1024 * 1024


def test_embedded_secrets_are_generated_once_and_kept_private(clean_env, tmp_path):
    first = load_settings(tmp_path)
    second = load_settings(tmp_path)
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 32
    assert first["S3_ACCESS_KEY"] == second["S3_ACCESS_KEY"]
    creds_file = tmp_path / "s3" / "credentials.json"
    assert json.loads(creds_file.read_text())["secret_key"] == first["S3_SECRET_KEY"]
    assert creds_file.stat().st_mode & 0o077 == 0
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV.keys() - {"SIPANSOS_ENV"}))
def test_production_names_the_missing_variable(clean_env, tmp_path, missing):
    for name, value in PRODUCTION_ENV.items():
        if name != missing:
            clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=missing):
        create_app()


def test_production_refuses_a_short_secret_key(clean_env, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("SIPANSOS_SECRET_KEY", "changeme")
    with pytest.raises(ConfigError, match="SIPANSOS_SECRET_KEY"):
        load_settings(tmp_path)


def test_production_sets_secure_cookies(clean_env, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    settings = load_settings(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not (tmp_path / "secret_key").exists()


def test_bad_number_in_environment_is_a_clear_error(clean_env, tmp_path):
    clean_env.setenv("SIPANSOS_MAX_UPLOAD_BYTES", "200MB")
    with pytest.raises(ConfigError, match="SIPANSOS_MAX_UPLOAD_BYTES"):
        load_settings(tmp_path)
