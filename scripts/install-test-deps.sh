#!/usr/bin/env bash
# Installs what the interop tests need beyond Maven, idempotently (safe to run again and again):
#   - Node's `ws` for the client's interop test (websocket-client/src/test/node), pinned by its
#     package-lock.json and installed with `npm ci`.
#   - Chromium (Debian packages chromium + chromium-driver) for the demo's browser test of the
#     chat page (demo/src/test/java/dev/leanws/demo/ChatBrowserTest.java).
#   - redis-server (Debian package redis-server) for websocket-cluster's tests, which start their
#     own redis-server processes on free loopback ports (the package's own service is not needed).
# Whatever cannot be installed here is reported in one line and skipped (exit 0): the tests that
# need it then skip themselves with a one-line reason.
set -euo pipefail
cd "$(dirname "$0")/.."

install_node_modules() {
  local dir="$1"
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-test-deps: npm not found; skipping $dir (its tests will be skipped)"
    return 0
  fi
  echo "install-test-deps: npm ci --prefix $dir"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
}

# apt_install WHAT TESTS PACKAGE...: installs Debian packages as root or through passwordless
# sudo; where neither works it says which tests will be skipped and carries on.
apt_install() {
  local what="$1" tests="$2"
  shift 2
  local sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "install-test-deps: $what missing and not root (no passwordless sudo); skipping (the $tests will be skipped)"
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-deps: $what missing and no apt-get; skipping (the $tests will be skipped)"
    return 1
  fi
  echo "install-test-deps: apt-get install $*"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null; }; then
    echo "install-test-deps: installing $what failed; skipping (the $tests will be skipped)"
    return 1
  fi
}

install_chromium() {
  if [[ -x /usr/bin/chromium ]]; then
    echo "install-test-deps: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
    return 0
  fi
  apt_install /usr/bin/chromium "browser test" chromium chromium-driver || return 0
  echo "install-test-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
}

install_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    echo "install-test-deps: redis-server already installed ($(redis-server --version 2>/dev/null | cut -d' ' -f3 || echo '?'))"
    return 0
  fi
  apt_install redis-server "cluster tests" redis-server || return 0
  echo "install-test-deps: installed $(redis-server --version 2>/dev/null | cut -d' ' -f3 || echo redis-server)"
}

install_node_modules websocket-client/src/test/node
install_chromium
install_redis
