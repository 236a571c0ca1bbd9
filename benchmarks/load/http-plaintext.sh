#!/usr/bin/env bash
# HTTP plaintext load test: Torsion's HttpServer against a raw Netty 4.2 HttpServerCodec server,
# on the same transport, in one run. Server pinned to CPU 0, wrk to CPU 1 (where there are two).
# Usage: benchmarks/load/http-plaintext.sh [transport=epoll] [seconds=8] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
transport=${1:-epoll}
seconds=${2:-8}
connections=${3:-64}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -DskipTests package -pl benchmarks -am
jar=benchmarks/target/benchmarks.jar
server_cpu=""; client_cpu=""
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu="taskset -c 0"; client_cpu="taskset -c 1"; fi

run() { # name class port mode
  local name=$1 class=$2 port=$3
  $server_cpu java -Xms256m -Xmx256m -cp "$jar" "$class" "$port" "$transport" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
  $client_cpu wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$port/plaintext" >/dev/null 2>&1 || true # warm-up
  for mode in plain pipelined; do
    local extra=()
    [ $mode = pipelined ] && extra=(-s benchmarks/load/pipeline.lua -- 16)
    local out
    out=$($client_cpu wrk -t1 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/plaintext" "${extra[@]}")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
    printf '%s %s %s %s %s %s\n' "$name" "$mode" "$rps" "$p50" "$p99" "$errors"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

results=$( { run torsion io.torsion.benchmarks.load.TorsionPlaintextServer 18080; \
             run netty io.torsion.benchmarks.load.NettyPlaintextServer 18081; } )
echo "HTTP plaintext, transport=$transport, ${connections} connections, ${seconds}s per run, $(nproc) cores"
printf '%-9s %-10s %12s %9s %9s %s\n' server mode requests/s p50 p99 ratio
for mode in plain pipelined; do
  netty=$(awk -v m=$mode '$1=="netty" && $2==m {print $3}' <<<"$results")
  while read -r name m rps p50 p99 rest; do
    [ "$m" = "$mode" ] || continue
    ratio=$(awk -v a="$rps" -v b="$netty" 'BEGIN { printf "%.2fx", a / b }')
    printf '%-9s %-10s %12s %9s %9s %s %s\n' "$name" "$m" "$rps" "$p50" "$p99" "$ratio" "$rest"
  done <<<"$results"
done
