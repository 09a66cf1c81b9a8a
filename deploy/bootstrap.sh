# Shared by deploy/run-local.sh and tests/run.sh: make the project virtualenv and install into it.
# Usage: source deploy/bootstrap.sh; bootstrap_venv "[extras]"

bootstrap_venv() {
  local extras="$1"
  VENV="${SIPANSOS_VENV:-$PWD/.venv}"
  local python="${PYTHON:-python3}"
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "Python 3.11 or newer is needed (python3 not found)." >&2
    return 1
  fi
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed; $("$python" --version) found." >&2
    return 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      # Debian ships venv separately.
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$VENV"
        "$python" -m venv "$VENV"
      else
        echo "Cannot create a virtualenv: install python3-venv (apt-get install python3-venv)." >&2
        return 1
      fi
    fi
  fi
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".${extras}"
  ensure_pdf_libraries
}

ensure_pdf_libraries() {
  # WeasyPrint (the case dossier PDF) loads Pango and HarfBuzz from the OS at import time.
  if "$VENV/bin/python" -c 'import weasyprint' >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null
  else
    echo "The dossier PDF needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2
    return 1
  fi
  "$VENV/bin/python" -c 'import weasyprint'
}
