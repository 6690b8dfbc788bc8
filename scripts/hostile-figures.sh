#!/usr/bin/env bash
# The figures of issue 11 (hostile load), printed by the tests that check them:
#   F1: ten heaps' worth of partial messages (connections sending the first 1 MiB of a 16 MiB
#       message, then waiting) against an echo server forked with -Xmx512m: the canary's worst
#       round trip, the time a fresh client takes afterwards, heap and RSS after;
#   slowloris: 10,050 slow handshakes from 127.0.0.1, then a client from 127.0.0.2;
#   F2: the chat sender's worst /msg round trip while the recipient reads nothing.
# Loopback only. Needs about 10,100 file descriptors (ulimit -n) for the slowloris check.
# HEAP=1g scripts/hostile-figures.sh plays it against another heap size.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl demo -am verify -Dleanws.skipDocJars=true \
    -Dtest='HeapExhaustionTest,ChatHardeningTest#aStalledUserNeverStallsTheSenderOfAPrivateMessage' \
    -Dsurefire.failIfNoSpecifiedTests=false \
    -Dleanws.hostile.heap="${HEAP:-512m}" -Dleanws.hostile.figures=true 2>&1 \
    | grep -E '^(F1|F2|slowloris)|FAIL|ERROR' || true
