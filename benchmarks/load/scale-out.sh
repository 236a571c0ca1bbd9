#!/usr/bin/env bash
# Beyond one process, measured on this machine: HTTP plaintext requests per second through HAProxy
# in front of two demo processes (PROXY protocol v2) against one demo process reached directly;
# and the demo's board kept in Redis: GET /kv/KEY per second through the demo, against the same
# board in the demo's memory and against redis-benchmark's GET on the same Redis (what the
# ratio leaves is the cost of HTTP plus Torsion's Redis client).
#
# Every row shows the CPU share of each process over the run (1.00 = one core): on 2 cores the
# fleet's rows share them between wrk, HAProxy and both demos, so they show what a balancer costs
# more than what two processes add. The direct rows pin the demo to CPU 0 and wrk to CPU 1.
#
# Usage: benchmarks/load/scale-out.sh [--rounds N] [--seconds N] [--connections N]
#   defaults: 3 rounds of 5 s, 64 connections; the median of the rounds is shown
# Needs: haproxy, redis-server, redis-benchmark (redis-tools), wrk, python3, the demo jar
# (built if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=5
connections=64
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in haproxy redis-server redis-benchmark wrk python3; do
  command -v "$tool" >/dev/null || { echo "scale-out bench: $tool is not installed" >&2; exit 2; }
done
jar=examples/target/torsion-demo.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl examples -am
java=${JAVA:-java}
work=$(mktemp -d -t torsion-scale-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

pin0=(); pin1=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then pin0=(taskset -c 0); pin1=(taskset -c 1); fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
median() { tr ' ' '\n' <<<"$1" | awk NF | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2fx", a / b }'; }
up() { for _ in $(seq 1 200); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened; logs in $work" >&2; exit 1; }

redis_port=$(free_port)
"${pin1[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!; pids+=($redis_pid); up "$redis_port"

# demo NAME HTTP_PORT ARGS...: starts a demo process (JVM defaults, as a user starts it)
declare -A demo_pid
demo() {
  local name=$1 port=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  demo_pid[$name]=$!; pids+=($!); up "$port"
}

# run PIDS... -- URL: wrk for $seconds; prints "rps cpu(pid1) cpu(pid2)... cpu(wrk)"
run() {
  local watch=()
  while [ "$1" != -- ]; do watch+=("$1"); shift; done; shift
  local url=$1 before=() start end
  for p in "${watch[@]}"; do before+=("$(ticks "$p")"); done
  start=$(date +%s.%N)
  # wrk's own CPU: the shell's time of the child (user and system seconds), as it cannot be read
  # from /proc once wrk has exited.
  { TIMEFORMAT='%U %S'; time "${pin1[@]}" wrk -t1 -c"$connections" -d"${seconds}s" "$url" >"$work/wrk.out" 2>&1; } 2>"$work/wrk.time" || true
  end=$(date +%s.%N)
  local rps; rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.out")
  local out="${rps:-0}" i=0
  for p in "${watch[@]}"; do
    out="$out $(awk -v a="${before[$i]}" -v b="$(ticks "$p")" -v s="$start" -v e="$end" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz / (e - s) }')"
    i=$((i + 1))
  done
  echo "$out $(awk -v s="$start" -v e="$end" '{ printf "%.2f", ($1 + $2) / (e - s) }' "$work/wrk.time")"
}

# The parts. Each row: median rps over the rounds, and the CPU shares of the last round.
declare -A rps cpu
measure() { # key pids... -- url
  local key=$1; shift
  local all="" last=""
  "${pin1[@]}" wrk -t1 -c"$connections" -d2s "${@: -1}" >/dev/null 2>&1 || true # warm-up
  for _ in $(seq 1 "$rounds"); do
    last=$(run "$@")
    all="$all ${last%% *}"
  done
  rps[$key]=$(median "$all")
  cpu[$key]=${last#* }
}

echo "--- one demo, direct"
h=$(free_port)
demo direct "$h" "${pin0[@]}" "$java" -jar "$jar" --echo-port 0 --line-port 0 --udp-port 0 --http-port "$h" --max-connections 20000
curl -fsS -X PUT --data blue "http://127.0.0.1:$h/kv/color" >/dev/null
measure plain_direct "${demo_pid[direct]}" -- "http://127.0.0.1:$h/plaintext"
measure kv_local "${demo_pid[direct]}" -- "http://127.0.0.1:$h/kv/color"
kill "${demo_pid[direct]}"; wait "${demo_pid[direct]}" 2>/dev/null || true

echo "--- the board in Redis, direct"
h=$(free_port)
demo redis "$h" "${pin0[@]}" "$java" -jar "$jar" --echo-port 0 --line-port 0 --udp-port 0 --http-port "$h" --board "redis://127.0.0.1:$redis_port"
curl -fsS -X PUT --data blue "http://127.0.0.1:$h/kv/color" >/dev/null
measure kv_redis "${demo_pid[redis]}" "$redis_pid" -- "http://127.0.0.1:$h/kv/color"
kill "${demo_pid[redis]}"; wait "${demo_pid[redis]}" 2>/dev/null || true

echo "--- redis-benchmark GET on the same Redis"
rb_all=""
for _ in $(seq 1 "$rounds"); do
  rb=$("${pin0[@]}" redis-benchmark -p "$redis_port" -c "$connections" -n 200000 -t get -q 2>/dev/null | tr '\r' '\n' | awk '/^GET: [0-9.]+ requests per second/ { v = $2 } END { print v }')
  rb_all="$rb_all ${rb:-0}"
done
rps[redis_benchmark]=$(median "$rb_all")

echo "--- HAProxy in front of two demos"
a=$(free_port); b=$(free_port); front=$(free_port)
demo fleet_a "$a" "$java" -jar "$jar" --echo-port 0 --line-port 0 --udp-port 0 --http-port "$a" --proxy-protocol required
demo fleet_b "$b" "$java" -jar "$jar" --echo-port 0 --line-port 0 --udp-port 0 --http-port "$b" --proxy-protocol required
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend f
  bind 127.0.0.1:$front
  default_backend demos
backend demos
  balance roundrobin
  server a 127.0.0.1:$a send-proxy-v2
  server b 127.0.0.1:$b send-proxy-v2
CFG
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!; pids+=($haproxy_pid); up "$front"
measure plain_fleet "${demo_pid[fleet_a]}" "${demo_pid[fleet_b]}" "$haproxy_pid" -- "http://127.0.0.1:$front/plaintext"

echo
echo "scale-out benchmark: median of $rounds rounds of ${seconds}s, $connections connections, $(nproc) cores, $("$java" -version 2>&1 | head -1)"
printf '%-52s %12s %8s  %s\n' "test" "requests/s" "ratio" "CPU shares (1.00 = a core)"
read -r dm wk <<<"${cpu[plain_direct]}"
printf '%-52s %12s %8s  %s\n' "plaintext, one demo, direct" "${rps[plain_direct]}" "1.00x" "demo $dm wrk $wk"
read -r fa fb hp wk <<<"${cpu[plain_fleet]}"
printf '%-52s %12s %8s  %s\n' "plaintext, HAProxy + two demos (PROXY v2)" "${rps[plain_fleet]}" "$(ratio "${rps[plain_fleet]}" "${rps[plain_direct]}")" "demos $fa $fb haproxy $hp wrk $wk"
read -r dm wk <<<"${cpu[kv_local]}"
printf '%-52s %12s %8s  %s\n' "GET /kv/color, board in the demo's memory" "${rps[kv_local]}" "1.00x" "demo $dm wrk $wk"
read -r dm rd wk <<<"${cpu[kv_redis]}"
printf '%-52s %12s %8s  %s\n' "GET /kv/color, board in Redis (HGET per request)" "${rps[kv_redis]}" "$(ratio "${rps[kv_redis]}" "${rps[kv_local]}")" "demo $dm redis $rd wrk $wk"
printf '%-52s %12s %8s  %s\n' "redis-benchmark GET, same Redis, $connections clients" "${rps[redis_benchmark]}" "$(ratio "${rps[kv_redis]}" "${rps[redis_benchmark]}")" "(ratio: the Redis-backed GET to it)"
