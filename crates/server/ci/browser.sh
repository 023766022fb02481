# Sourced by .ci/run: Debian's Chromium and the pinned playwright-core for
# bulwark-server's browser test (tests/browser.rs). Without them that test
# skips with a message.

bulwark_browser_deps() {
  if [ ! -x /usr/bin/chromium ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null || return 1
  fi
  npm ci --prefix crates/server/e2e --no-audit --no-fund >/dev/null || return 1
}

if bulwark_browser_deps; then
  echo "Chromium and playwright-core ready for the bulwark-server browser test"
else
  echo "WARNING: Chromium or playwright-core could not be installed; bulwark-server's browser test will skip" >&2
fi
