#!/usr/bin/env bash
# The scale scenario of issue 16 (many idle connections, 1 % of them echoing each second),
# played against the leanws echo demo and, if a copy of ../shared/bench is given, Netty and
# Node ws started the way the bench starts them. Client: benchmarks' IdleScale.
#   scripts/scale-figures.sh [connections] [bench-dir] [deflate]   (defaults: 19000, none, plain)
# "deflate": the clients offer permessage-deflate, as browsers do.
# The machine of the report allows 20,000 open files per process (hard limit): 19,000
# connections is the most one server can hold there; 100,000 is a projection (docs/benchmarks.md).
# Loopback only; every server started here is stopped here, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS="${1:-19000}"
BENCH="${2:-}"
OFFER="${3:-plain}"
if [[ -z "${JAVA:-}" ]]; then
  for j in /usr/lib/jvm/*/bin/java; do
    v="$("$j" -XX:+IgnoreUnrecognizedVMOptions -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
    if [[ -n "$v" && "$v" -ge 21 ]]; then JAVA="$j"; break; fi
  done
fi
JVM_OPTS="${JVM_OPTS:--Xms512m -Xmx2g}"
[[ -x "${JAVA:-}" ]] || { echo "scale-figures.sh: no JDK 21+ found (set JAVA)"; exit 1; }
ulimit -n "$(ulimit -Hn)"
./mvnw -o -B -q -pl demo,benchmarks -am package -DskipTests -Dleanws.skipDocJars=true

run() {   # name, port, command...
  local name="$1" port="$2"; shift 2
  "$@" >"/tmp/scale-$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  sleep 1
  echo "== $name"
  timeout 600 "$JAVA" -cp benchmarks/target/benchmarks.jar dev.leanws.bench.IdleScale "$port" "$pid" "$CONNS" 2 1 60 "$OFFER" \
    | grep -v '^RESULT' || echo "$name: the client failed"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2086
run leanws 9601 "$JAVA" $JVM_OPTS -jar demo/target/leanws-demo.jar echo --port 9601 --max-connections 100000
if [[ -n "$BENCH" ]]; then
  # shellcheck disable=SC2086
  run netty 9602 "$JAVA" $JVM_OPTS -jar "$BENCH/peers/target/peers.jar" netty 9602
  run node-ws 9603 node "$BENCH/peers/node/echo.js" 9603
fi
