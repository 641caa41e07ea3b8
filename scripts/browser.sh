#!/usr/bin/env bash
# Installs what the browser tests need from Debian: Chromium, its WebDriver (chromedriver) and Japanese fonts for
# the screenshots, and zbar-tools (zbarimg: the real decoder the QR code tests read the enrolment page's code with). Selenium itself comes from PyPI with scripts/validators.sh. Safe to run again.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v zbarimg >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  echo "chromium $(chromium --version 2>/dev/null | awk '{print $2}') and chromedriver already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver fonts-noto-cjk zbar-tools >/dev/null
chromium --version 2>/dev/null || true
chromedriver --version
