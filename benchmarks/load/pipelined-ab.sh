#!/usr/bin/env bash
# A/B of two benchmark jars on pipelined HTTP (wrk, 16 requests per write, 64 connections), raw
# Netty beside them: the three servers run at once on CPU 0 and take turns under wrk on CPU 1,
# ROUNDS rounds of 2 s after a 6 s warm-up each; prints each round (A, B, Netty req/s) and the
# medians of the per-round ratios A/Netty, B/Netty and B/A. For measuring one change by hand
# (build the jar before and after it); the harness's figures come from run.sh.
#
# Usage: benchmarks/load/pipelined-ab.sh JAR_A JAR_B [ROUNDS]   (JAVA=/path/to/bin/java to choose the JDK)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n '2,8p' "$0"; exit 2; }
a=$1; b=$2; rounds=${3:-10}
java=${JAVA:-java}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # JAR CLASS PORT
  taskset -c 0 "$java" -cp "$1" "io.torsion.benchmarks.load.$2" "$3" epoll >/dev/null 2>&1 &
  pids+=($!)
}
start "$a" TorsionPlaintextServer 19511
start "$b" TorsionPlaintextServer 19512
start "$a" NettyPlaintextServer 19513
for port in 19511 19512 19513; do
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done
run() { taskset -c 1 wrk -t1 -c64 -d"$2" "http://127.0.0.1:$1/plaintext" -s benchmarks/load/pipeline.lua -- 16 | awk '/Requests\/sec/ {print $2}'; }
for port in 19511 19512 19513; do run "$port" 6s >/dev/null; done
out=$(for _ in $(seq 1 "$rounds"); do echo "$(run 19511 2s) $(run 19512 2s) $(run 19513 2s)"; done)
echo "$out"
python3 - "$out" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.argv[1].splitlines() if line.strip()]
med = lambda f: statistics.median(f(r) for r in rows)
print("median A/netty %.3f  B/netty %.3f  B/A %.3f" % (med(lambda r: r[0] / r[2]), med(lambda r: r[1] / r[2]), med(lambda r: r[1] / r[0])))
PY
