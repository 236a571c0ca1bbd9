#!/usr/bin/env bash
# The never-reading attack against the demo, as issue 12 states it: 1,000 clients on each of the
# echo and line ports sending without reading, for 60 s, against the demo at -Xmx512m
# -XX:MaxDirectMemorySize=256m. Fails if an OutOfMemoryError is logged, a probe ECHO goes
# unanswered or (unless JUDGE_LATENCY=0) takes 100 ms or more. DEMO_FLAGS: more demo flags;
# ATTACKER_BUFFERS=N: bound each attacker's socket buffers. See benchmarks/README.md.
# Usage: never-reading.sh [CLIENTS_PER_PORT] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-1000}
seconds=${2:-60}
jar=examples/target/torsion-demo.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl examples -am
log=$(mktemp)
# The demo on CPU 0, the attack on the others, as load/run.sh pins servers and load.
pin_server=(); pin_load=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin_server=(taskset -c 0); pin_load=(taskset -c 1-$(( $(nproc) - 1 ))); fi
"${pin_server[@]}" java -Xmx512m -XX:MaxDirectMemorySize=256m ${TORSION_JAVA_OPTS:-} -jar "$jar" --echo-port 0 --udp-port 0 --line-port 0 --http-port 0 ${DEMO_FLAGS:-} >"$log" 2>&1 &
demo=$!
trap 'kill "$demo" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q '^torsion-demo: ' "$log" && break; sleep 0.1; done
banner=$(grep -m1 '^torsion-demo: ' "$log")
echo "$banner"
echo_port=${banner##*echo=127.0.0.1:}; echo_port=${echo_port%% *}
line_port=${banner##*line=127.0.0.1:}; line_port=${line_port%% *}
status=0
"${pin_load[@]}" python3 benchmarks/load/never_reading.py --echo-port "$echo_port" --line-port "$line_port" \
  --clients "$clients" --seconds "$seconds" --pid "$demo" ${ATTACKER_BUFFERS:+--attacker-buffers "$ATTACKER_BUFFERS"} ${PROBE_CPU:+--probe-cpu "$PROBE_CPU"} \
  ${JUDGE_LATENCY:+$([ "$JUDGE_LATENCY" = 0 ] && echo --no-latency-verdict)} || status=$?
if grep -q OutOfMemoryError "$log"; then
  echo "OutOfMemoryError in the demo's log:"; grep -m5 OutOfMemoryError "$log"; status=1
fi
echo "connections aborted over the output budget (logged): $(grep -o 'budget of [0-9,]* bytes: aborted [0-9,]*' "$log" | tr -d , | awk '{s+=$NF} END {print s+0}')"
kill -TERM "$demo"; wait "$demo" || true
exit $status
