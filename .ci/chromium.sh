#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver, which the dashboard's end-to-end tests drive headless
# (/usr/bin/chromium, /usr/bin/chromedriver). Idempotent: does nothing when both are already there. The tests find
# any Chromium and chromedriver on PATH, or by -Dmemsnap.chromium=... -Dmemsnap.chromedriver=...; this script is for
# Debian machines and CI.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver already installed"
    exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "chromium.sh: need root (or sudo) to install chromium and chromium-driver" >&2
        exit 1
    fi
fi

"${SUDO[@]}" apt-get update
# Without Recommends (udev, upower, mesa drivers, printing: nothing a headless test uses); Chromium's font comes from
# Recommends, so one is named, or pages (and screenshots) render without text.
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core

for binary in /usr/bin/chromium /usr/bin/chromedriver; do
    if [[ ! -x $binary ]]; then
        echo "chromium.sh: $binary is still missing after apt-get install" >&2
        exit 1
    fi
done
echo "chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null) and $(/usr/bin/chromedriver --version 2>/dev/null)"
