#!/usr/bin/env bash
# Re-extract user-facing strings and merge them into the French catalogue.
# Then translate the new, empty msgstr entries in src/microcred/web/locale/fr/LC_MESSAGES/messages.po.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp --suffix=.pot)
pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output --project microcred \
  --copyright-holder "microcred contributors" -o "$pot" . >/dev/null
pybabel update -i "$pot" -d src/microcred/web/locale -l fr --ignore-obsolete --no-fuzzy-matching -w 100
rm -f "$pot"
