#!/usr/bin/env bash
# Runs every check of the project, on a fresh machine too: it installs what the checks need itself.
#   1. the gRPC contracts: buf lint (buf style guide, STANDARD) and buf build
#   2. build with warnings as errors, and every test (unit, and integration over mutual TLS on loopback)
# Ends with one line "Tests: N passed, N failed, N skipped" summed over all test projects.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Node.js and npm run buf (the @bufbuild/buf package ships the binary).
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing Node.js and npm (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# Debian's chromium and chromedriver run the privacy officer's page in a real browser; certutil and pk12util
# (libnss3-tools) give that browser its client certificate. The browser tests fail without them, never skip.
# Debian's testssl.sh scans the running hub's TLS; that test fails without it, never skips.
missing=()
[ -x /usr/bin/testssl ] || missing+=(testssl.sh)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
{ [ -x /usr/bin/certutil ] && [ -x /usr/bin/pk12util ]; } || missing+=(libnss3-tools)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== contracts: buf lint, buf build"
# No lockfile: the registry serves buf's Linux binaries only, so a lockfile with every platform cannot be
# made here; package.json pins the exact version instead.
npm install --no-audit --no-fund --package-lock=false --loglevel=error >/dev/null
./node_modules/.bin/buf lint
./node_modules/.bin/buf build -o /dev/null

echo "== build and test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test ExchangeHub.sln --blame-hang-timeout 10m 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per project.
awk -F'[:,]' '/^(Passed|Failed)! +- Failed:/ { f += $2; p += $4; s += $6 }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
exit "$status"
