#!/usr/bin/env bash
# Installs what the interop tests need beyond Maven, idempotently (safe to run again and again):
#   - Node's `ws` for the client's interop test (websocket-client/src/test/node), pinned by its
#     package-lock.json and installed with `npm ci`.
# Without node/npm it says so and exits 0: those tests then skip themselves with a one-line reason.
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

install_node_modules websocket-client/src/test/node
