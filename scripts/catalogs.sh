#!/usr/bin/env bash
# The gettext catalogs in locales/: check that they match the code, or bring them up to date.
#
#   scripts/catalogs.sh          check (CI): exit non-zero if messages.pot or any .po is stale,
#                                or if a catalog does not compile (e.g. %-placeholder errors)
#   scripts/catalogs.sh update   re-extract messages.pot and update every .po from it
#
# Nothing is written to the repository in check mode; compiled .mo files go to a temporary
# directory and are thrown away. New strings appear as empty msgstr after `update`: translate
# them, then run `pytest tests/test_catalogs.py`.
#
# pybabel comes from $PYBABEL, else from the project's .venv, else from PATH; python likewise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -n "${PYBABEL:-}" ]]; then
    pybabel="$PYBABEL"
    python="$(dirname "$PYBABEL")/python"
elif [[ -x .venv/bin/pybabel ]]; then
    pybabel=.venv/bin/pybabel
    python=.venv/bin/python
else
    pybabel=pybabel
    python=python3
fi

locales=locales
template="$locales/messages.pot"

# The one extraction command, used by both modes (keywords must match tests/test_catalogs.py).
extract() {
    "$pybabel" --quiet extract -F babel.cfg -o "$1" --sort-output --no-location \
        -k gettext -k _ \
        --project checkin-bot --version 0.1.0 --copyright-holder "checkin-bot contributors" \
        .
}

# The messages of a template, without headers (dates, Babel's version, copyright year).
stable() {
    "$python" scripts/pot_messages.py "$1"
}

case "${1:-check}" in
update)
    extract "$template"
    "$pybabel" update -i "$template" -d "$locales" -D messages \
        --no-fuzzy-matching --ignore-obsolete
    echo "Updated $template and the catalogs. Translate any empty msgstr now."
    ;;
check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    status=0

    extract "$tmp/messages.pot"
    if ! diff -u <(stable "$template") <(stable "$tmp/messages.pot") >"$tmp/pot.diff"; then
        echo "error: $template is stale; run scripts/catalogs.sh update" >&2
        cat "$tmp/pot.diff" >&2
        status=1
    fi

    if ! "$pybabel" update --check -i "$tmp/messages.pot" -d "$locales" -D messages \
        --no-fuzzy-matching --ignore-pot-creation-date; then
        echo "error: catalogs are stale; run scripts/catalogs.sh update and translate" >&2
        status=1
    fi

    cp -R "$locales/." "$tmp/compiled"
    if ! "$pybabel" compile -d "$tmp/compiled" -D messages --statistics; then
        echo "error: a catalog does not compile" >&2
        status=1
    fi

    exit "$status"
    ;;
*)
    echo "usage: $0 [check|update]" >&2
    exit 2
    ;;
esac
