#!/usr/bin/env bash
# Install SIPANSOS into ./.venv and start the whole system on this machine:
# local S3 (SeaweedFS), SQLite, migrations, a first admin, and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/bootstrap.sh
bootstrap_venv ""
export SIPANSOS_INSTANCE_PATH="${SIPANSOS_INSTANCE_PATH:-$PWD/instance}"
exec "$VENV/bin/sipansos-local"
