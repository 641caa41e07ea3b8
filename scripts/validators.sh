#!/usr/bin/env bash
# Installs the official validators and real consumers the tests use into .venv-validators (kept out of git):
# check-jsonschema (OSCAL JSON schemas), compliance-trestle (an OSCAL consumer), openpyxl (reads .xlsx),
# openapi-spec-validator (checks openapi.yaml), schemathesis (fuzzes the running server against it,
# scripts/schemathesis.sh), selenium (drives Debian's Chromium in scripts/browser-test.py) and aiosmtpd (a real SMTP
# server the invitation e-mail tests start on loopback), stix2-validator and stix2 (OASIS: check and parse the STIX 2.1
# incident export), taxii2-client (the OASIS TAXII 2.1 client, driven against the TAXII server by
# scripts/taxii-client-check.py), medallion (the OASIS reference TAXII 2.1 server) and cairosvg (draws the QR code
# SVGs to PNG for zbarimg in the QR code tests).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TEKIGO_VALIDATORS_VENV:-.venv-validators}"
if [ -x "$venv/bin/check-jsonschema" ] && [ -x "$venv/bin/trestle" ] && "$venv/bin/python" -c "import openpyxl" 2>/dev/null \
   && [ -x "$venv/bin/openapi-spec-validator" ] && [ -x "$venv/bin/schemathesis" ] && "$venv/bin/python" -c "import selenium" 2>/dev/null \
   && "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null && [ -x "$venv/bin/stix2_validator" ] \
   && "$venv/bin/python" -c "import stix2" 2>/dev/null && "$venv/bin/python" -c "import taxii2client, medallion" 2>/dev/null \
   && "$venv/bin/python" -c "import cairosvg" 2>/dev/null; then
  echo "validators already installed in $venv"
  exit 0
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema compliance-trestle openpyxl \
  openapi-spec-validator schemathesis selenium aiosmtpd stix2 stix2-validator taxii2-client medallion cairosvg
"$venv/bin/check-jsonschema" --version
"$venv/bin/trestle" version
"$venv/bin/openapi-spec-validator" --version
"$venv/bin/schemathesis" --version
