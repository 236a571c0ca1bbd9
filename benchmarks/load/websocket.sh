#!/usr/bin/env bash
# WebSocket load: Torsion's WebSocketServer against Netty's WebSocketServerProtocolHandler on the
# same transport, both echoing every message on one event-loop thread, taking turns in one run.
# The load generator is the same for both (WebSocketLoad: raw frames on Netty epoll, one thread).
# Servers on CPU 0, the load generator on CPU 1.
#
#   small   64 connections, 16 masked 64-byte text messages in flight on each (messages/s)
#   large   8 connections, 2 masked 1 MiB binary messages in flight on each (MiB/s echoed)
#   idle    --idle connections (default 4,000) opened in two halves on a fresh server with the
#           JVM's default settings: what the second half adds to the server's live heap (after a
#           full GC) and resident memory, per connection
#
# Every throughput row shows the CPU shares of the server and the load generator (100% = one
# core): a row whose load generator is near 100% measures the generator, not the server.
#
# Usage: benchmarks/load/websocket.sh [--rounds N] [--seconds N] [--warmup N] [--idle N] [TRANSPORT]
#   TRANSPORT: epoll (default), io_uring or nio; defaults: 3 rounds of 3 s after a 2 s warm-up
#   JAVA=/path/to/bin/java: the JDK the servers run on
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=3
warmup=2
idle=4000
transport=epoll
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) transport=$1; shift ;;
  esac
done
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests -Dbench package -pl benchmarks -am
java=${JAVA:-java}
jcmd=$(dirname "$(command -v "$java")")/jcmd
[ -x "$jcmd" ] || jcmd=jcmd
server_cpu=(); client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi
work=$(mktemp -d)
declare -A pid result
trap 'for p in "${pid[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
port=19600

# start SERVER [JVM FLAGS...]: a fresh server process on the next port; waits for its banner.
start() {
  local server=$1 class
  shift
  case $server in
    torsion) class=io.torsion.benchmarks.load.TorsionWebSocketServer ;;
    netty) class=io.torsion.benchmarks.load.NettyWebSocketServer ;;
  esac
  port=$((port + 1))
  "${server_cpu[@]}" "$java" "$@" -cp "$jar" "$class" "$port" "$transport" >"$work/$server.log" 2>&1 &
  pid[$server]=$!
  for _ in $(seq 1 200); do
    grep -q "^$server-websocket: " "$work/$server.log" && return 0
    kill -0 "${pid[$server]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$server did not start: $(cat "$work/$server.log")" >&2
  exit 1
}

stop() {
  kill "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
}

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# load SERVER NAME CONNECTIONS SIZE WINDOW: one measured run; records the figure and CPU shares.
load() {
  local server=$1 name=$2 before after out loadpid hz elapsed
  hz=$(getconf CLK_TCK)
  before=$(ticks "${pid[$server]}")
  "${client_cpu[@]}" "$java" -cp "$jar" io.torsion.benchmarks.load.WebSocketLoad echo "$port" \
    "$3" "$4" "$5" "$warmup" "$seconds" >"$work/load.out" 2>&1 &
  loadpid=$!
  sleep "$warmup"
  local mid load_mid
  mid=$(ticks "${pid[$server]}")
  load_mid=$(ticks "$loadpid")
  sleep "$((seconds - 1))"
  after=$(ticks "${pid[$server]}")
  local load_after
  load_after=$(ticks "$loadpid")
  elapsed=$((seconds - 1))
  wait "$loadpid" || { echo "$server $name: the load failed: $(cat "$work/load.out")" >&2; exit 1; }
  out=$(cat "$work/load.out")
  local figure
  if [ "$name" = small ]; then figure=$(awk '{print $2}' <<<"$out"); else figure=$(awk '{print $4}' <<<"$out"); fi
  result[$name|$server]="${result[$name|$server]:-}${result[$name|$server]:+ }$figure"
  result[$name|$server|cpu]="${result[$name|$server|cpu]:-}${result[$name|$server|cpu]:+ }$(( (after - mid) * 100 / hz / elapsed ))"
  result[$name|$server|loadcpu]="${result[$name|$server|loadcpu]:-}${result[$name|$server|loadcpu]:+ }$(( (load_after - load_mid) * 100 / hz / elapsed ))"
  echo "  $server $name: $out"
  : "$before"
}

# memory SERVER: "LIVE_HEAP_BYTES RESIDENT_BYTES", after a full GC.
memory() {
  local heap rss
  heap=$("$jcmd" "${pid[$1]}" GC.class_histogram | awk '$1=="Total" {print $3}')
  rss=$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/${pid[$1]}/status")
  echo "$heap $rss"
}

# hold SERVER: opens two halves of --idle connections; records what the second adds, per connection.
hold() {
  local server=$1 half=$((idle / 2)) first second m1 m2
  "${client_cpu[@]}" "$java" -cp "$jar" io.torsion.benchmarks.load.WebSocketLoad idle "$port" "$half" >"$work/idle1.out" 2>&1 &
  first=$!
  for _ in $(seq 1 600); do grep -q '^open' "$work/idle1.out" && break; kill -0 $first || break; sleep 0.1; done
  grep -q '^open' "$work/idle1.out" || { echo "$server idle: $(cat "$work/idle1.out")" >&2; exit 1; }
  m1=$(memory "$server")
  "${client_cpu[@]}" "$java" -cp "$jar" io.torsion.benchmarks.load.WebSocketLoad idle "$port" "$half" >"$work/idle2.out" 2>&1 &
  second=$!
  for _ in $(seq 1 600); do grep -q '^open' "$work/idle2.out" && break; kill -0 $second || break; sleep 0.1; done
  grep -q '^open' "$work/idle2.out" || { echo "$server idle: $(cat "$work/idle2.out")" >&2; exit 1; }
  sleep 1
  m2=$(memory "$server")
  kill "$first" "$second" 2>/dev/null || true
  wait "$first" "$second" 2>/dev/null || true
  read -r h1 r1 <<<"$m1"
  read -r h2 r2 <<<"$m2"
  local heap_per=$(((h2 - h1) / half)) rss_per=$(((r2 - r1) / half))
  result[idle-heap|$server]="${result[idle-heap|$server]:-}${result[idle-heap|$server]:+ }$heap_per"
  result[idle-rss|$server]="${result[idle-rss|$server]:-}${result[idle-rss|$server]:+ }$rss_per"
  echo "  $server idle: $half more connections: +$heap_per bytes of live heap, +$rss_per bytes resident each"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round"
  for server in torsion netty; do
    start "$server" -Xms1g -Xmx1g -XX:+AlwaysPreTouch
    load "$server" small 64 64 16
    load "$server" large 8 1048576 2
    stop "$server"
  done
  for server in torsion netty; do
    start "$server"
    hold "$server"
    stop "$server"
  done
done

median() { tr ' ' '\n' <<<"$1" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2fx", a / b }'; }
echo
echo "| $transport, medians of $rounds rounds | Torsion | Netty WebSocketServerProtocolHandler | Torsion / Netty | CPU server (T / N) | CPU load (T / N) |"
echo "|---|---:|---:|---:|---:|---:|"
for name in small large; do
  t=$(median "${result[$name|torsion]}"); n=$(median "${result[$name|netty]}")
  label="64 conns, 64-byte text, messages/s"; [ "$name" = large ] && label="8 conns, 1 MiB binary, MiB/s"
  echo "| $label | $t | $n | $(ratio "$t" "$n") | $(median "${result[$name|torsion|cpu]}")% / $(median "${result[$name|netty|cpu]}")% | $(median "${result[$name|torsion|loadcpu]}")% / $(median "${result[$name|netty|loadcpu]}")% |"
done
for name in idle-heap idle-rss; do
  t=$(median "${result[$name|torsion]}"); n=$(median "${result[$name|netty]}")
  label="idle connection, live heap bytes"; [ "$name" = idle-rss ] && label="idle connection, resident bytes"
  echo "| $label | $t | $n | $(ratio "$t" "$n") | | |"
done
