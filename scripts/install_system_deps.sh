#!/usr/bin/env bash
# System packages the tests and figure exports need, from Debian's packages:
#   chromium          - the real-browser test drives Debian's Chromium (no browser download)
#   fonts-noto-cjk    - Chinese text in exported figures renders with a real CJK font
#   poppler-utils     - pdffonts, with which the tests check that PDFs embed their fonts
#   nginx-light       - serves the app's front end in front of Streamlit (scripts/serve.py); the
#                       package's own service is never started (policy-rc.d below): nginx runs
#                       only as started by scripts/serve.py and the tests, on 127.0.0.1
#   libreoffice-writer-nogui - turns the report's Word file into its PDF (headless, no X)
#   postgresql-15-postgis-3 - PostgreSQL with PostGIS: the tests start a throw-away cluster of their
#                       own in a temporary directory (the package's own cluster service is never
#                       started, by the same policy-rc.d guard)
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
[ -e /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15 postgresql-15-postgis-3)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
# No package may start a service of its own (nginx's would listen on port 80 of every interface):
# Debian's policy-rc.d convention, for the time of this install only.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$guard" >/dev/null
  $SUDO chmod +x "$guard"
fi
trap '[ -n "$guard" ] && $SUDO rm -f "$guard"' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
