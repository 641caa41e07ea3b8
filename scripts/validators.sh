#!/usr/bin/env bash
# Installs the official validators the tests use into .venv-validators (kept out of git):
# check-jsonschema (OSCAL JSON schemas) and compliance-trestle (a real OSCAL consumer).
# Safe to run again: an existing virtualenv with both tools is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TEKIGO_VALIDATORS_VENV:-.venv-validators}"
if [ -x "$venv/bin/check-jsonschema" ] && [ -x "$venv/bin/trestle" ]; then
  echo "validators already installed in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema compliance-trestle openpyxl
"$venv/bin/check-jsonschema" --version
"$venv/bin/trestle" version
