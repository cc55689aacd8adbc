#!/usr/bin/env bash
# requirements.lock: the exact, hash-checked set of packages that the README's set-up and CI
# install (runtime, dev tools and the build backend), for Linux, macOS and Windows on
# Python 3.11 and newer.
#
#   scripts/lock.sh              bring requirements.lock in line with pyproject.toml, keeping
#                                every pin that still fits (after adding or changing a range)
#   scripts/lock.sh --upgrade    write it anew with the newest versions the ranges allow
#   scripts/lock.sh --check      exit non-zero if requirements.lock does not match pyproject.toml
#
# After refreshing, run `bash scripts/drift.sh` or the tests, and commit the lock with the change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -x .venv/bin/uv ]]; then
    uv=.venv/bin/uv
else
    uv=uv
fi

compile() {
    "$uv" pip compile pyproject.toml requirements-build.in --extra dev \
        --universal --python-version 3.11 --generate-hashes --no-header --quiet "$@"
}

case "${1:-}" in
"")
    compile -o requirements.lock
    echo "Wrote requirements.lock. Run the tests, then commit it."
    ;;
--upgrade)
    compile --upgrade -o requirements.lock
    echo "Wrote requirements.lock with the newest versions. Run the tests, then commit it."
    ;;
--check)
    tmp="$(mktemp)"
    trap 'rm -f "$tmp"' EXIT
    cp requirements.lock "$tmp"
    compile -o "$tmp"
    if ! diff -q requirements.lock "$tmp" >/dev/null; then
        echo "error: requirements.lock does not match pyproject.toml; run scripts/lock.sh" >&2
        diff -u requirements.lock "$tmp" >&2 || true
        exit 1
    fi
    ;;
*)
    echo "usage: $0 [--upgrade|--check]" >&2
    exit 2
    ;;
esac
