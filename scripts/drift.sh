#!/usr/bin/env bash
# Install the newest versions that pyproject.toml's ranges allow (not requirements.lock) into
# a throw-away venv and run every CI check there: a new release that breaks the project shows
# up here, on purpose, before it is locked. Prints which versions differ from the lock.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'

echo "Versions that differ from requirements.lock:"
"$venv/bin/pip" freeze --exclude-editable | sort >"$(dirname "$venv")/newest.txt"
grep -E '^[A-Za-z0-9_.-]+==' requirements.lock | sed -E 's/ .*//; s/_/-/g' | tr 'A-Z' 'a-z' \
    | sort >"$(dirname "$venv")/locked.txt"
tr 'A-Z_' 'a-z-' <"$(dirname "$venv")/newest.txt" \
    | comm -13 "$(dirname "$venv")/locked.txt" - || true

export PATH="$venv/bin:$PATH"
ruff check .
ruff format --check .
mypy
PYBABEL="$venv/bin/pybabel" bash scripts/catalogs.sh
pytest
