#!/usr/bin/env bash
# The load harness: Torsion against a raw Netty 4.2 server on the same transport, side by side in
# one run, with a minimal C epoll echo server (the near-physical-limit reference) and, where
# Debian's python3-twisted is installed, Twisted itself, for the record. Servers on CPU 0, load
# generator on CPU 1 (where there are two); loopback only; every run is bounded in time.
#
#   echo   ping-pong of 64-byte messages over 1, 64 and 1,000 connections (round trips/s), and
#          streaming of 16 KiB messages over 1 and 64 connections (256 KiB in flight each) and over
#          16 connections with 64 KiB in flight (MiB/s echoed); load from
#          benchmarks/load/c/loadgen.c, which checks every ping-pong byte and one streamed read in 8
#          (the kernel discards the others unread, so that the generator costs less than the server
#          it measures). Every echo row shows the CPU shares of the server and of the load
#          generator (medians, 100% = one core): a row whose load generator is near 100% measures
#          the load generator, not the server
#   storm  a connection storm, as a restarted server sees when its clients reconnect at once:
#          10,000 connections (--storm; at most the hold count) from one source address, 256 under way at a time, each proved by an
#          echoed byte (conns/s); on a fresh server process (cold JVM), and again after two more
#          storms (warm)
#   hold   as many idle connections as the open-files limit allows (hard limit - 1,000), opened
#          in two halves: what the second half adds to the server's resident memory, per
#          connection, the JVMs started with default settings as a user starts them (and their
#          live heap after a full GC), and the rate at which it connects them (each proved by an
#          echo)
#   http   GET /plaintext with wrk, one request at a time and pipelined 16 deep (needs wrk)
#
# The servers compared run at the same time and take turns, one run each, --rounds times over
# (this machine's speed drifts by a third over minutes; turns of a few seconds cancel that out of
# the ratios); the table gives the median of the rounds and the spread of Torsion/Netty over them.
# It builds what it needs (the benchmarks jar with Maven if missing, the C programs with gcc),
# prints one table of figures and ratios, and exits non-zero if any run failed.
#
# Usage: benchmarks/load/run.sh [--rounds N] [--seconds N] [--warmup N] [--hold N] [--storm N] [--only echo,storm,hold,http] [TRANSPORT...]
#   TRANSPORT: epoll io_uring nio iocp (all four by default; iocp's baseline is Netty NIO)
#   defaults: 3 rounds of 3 s runs after a 2 s warm-up run per server and test
#   JAVA=/path/to/bin/java: the JDK Torsion and Netty run on (default: java on the PATH)
#   JAVA_OPTS="-Xmn16m ...": more flags for both JVMs
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=3
warmup=2
hold=$(( $(ulimit -Hn) - 1000 ))
storm=$(( hold < 10000 ? hold : 10000 ))
only="echo,storm,hold,http"
transports=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --storm) storm=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) transports+=("$1"); shift ;;
  esac
done
[ ${#transports[@]} -gt 0 ] || transports=(epoll io_uring nio iocp)
wants() { [[ ",$only," == *",$1,"* ]]; }

jar=benchmarks/target/benchmarks.jar
bin=benchmarks/target/load
[ -f "$jar" ] || mvn -B -q -DskipTests -Dbench package -pl benchmarks -am
mkdir -p "$bin"
for program in epoll-echo loadgen; do
  gcc -O2 -Wall -Wextra -Werror -o "$bin/$program" "benchmarks/load/c/$program.c"
done
twisted=""
/usr/bin/python3 -c 'import twisted' 2>/dev/null && twisted=/usr/bin/python3
server_cpu=(); client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi
# The same JVM settings for Torsion and Netty: a fixed, pre-touched heap, so that heap growth does
# not move the throughput runs; the idle-memory runs use the JVM's defaults instead (see start).
java=${JAVA:-java} # JAVA=/path/to/bin/java picks the JDK the servers run on
jcmd=$(dirname "$(command -v "$java")")/jcmd
[ -x "$jcmd" ] || jcmd=jcmd
read -r -a java_opts <<<"${JAVA_OPTS:-}" # JAVA_OPTS: more flags for both JVMs, in every run
jvm=("$java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch "${java_opts[@]}" -cp "$jar")
work=$(mktemp -d)
declare -A pid port result
trap 'for p in "${pid[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
failures=0 # runs that did not complete: a server that did not start, a loadgen error, a failed hold
next_port=19100

# Starts SERVER (torsion, netty, c, twisted) for KIND (echo, http) on TRANSPORT; sets pid[SERVER]
# and port[SERVER].
start() {
  local server=$1 kind=$2 transport=$3 class command=()
  next_port=$((next_port + 1))
  class=$([ "$kind" = http ] && echo PlaintextServer || echo EchoServer)
  local java_command=("${jvm[@]}")
  [ "$kind" = hold ] && java_command=("$java" "${java_opts[@]}" -cp "$jar") # idle memory: as a user starts it
  case $server in
    torsion) command=("${java_command[@]}" "io.torsion.benchmarks.load.Torsion$class" "$next_port" "$transport") ;;
    netty) command=("${java_command[@]}" "io.torsion.benchmarks.load.Netty$class" "$next_port" "$transport") ;;
    c) command=("$bin/epoll-echo" "$next_port") ;;
    twisted) command=("$twisted" benchmarks/load/twisted_servers.py "$([ "$kind" = http ] && echo http || echo echo)" "$next_port") ;;
  esac
  "${server_cpu[@]}" "${command[@]}" >"$work/$server.log" 2>&1 & # taskset execs: $! is the server
  pid[$server]=$!
  port[$server]=$next_port
  for _ in $(seq 1 200); do
    grep -q "127.0.0.1:$next_port" "$work/$server.log" && return 0
    kill -0 "${pid[$server]}" 2>/dev/null || break
    sleep 0.1
  done
  failed "$server" "$transport" "did not start"
  return 1
}

stop() {
  kill "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
}

# Counts a failed run of SERVER on TRANSPORT, says why (WHAT) and stops that server.
failed() {
  echo "  $1 ($2): $3; its log ends:" >&2
  tail -5 "$work/$1.log" >&2 || true
  failures=$((failures + 1))
  stop "$1"
}

# Adds a figure for KEY (test|transport|server); each round adds one.
record() { result["$1"]="${result["$1"]:-}${result["$1"]:+ }$2"; }

# Prints field NAME of a loadgen result line.
field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1==k {print $2}'; }

# Servers that take part for KIND on TRANSPORT: Torsion and Netty always; C and Twisted are epoll
# programs (and the C server speaks echo only).
servers() {
  local kind=$1 transport=$2
  echo torsion netty
  if [ "$transport" = epoll ]; then
    [ "$kind" = http ] || echo c
    [ -z "$twisted" ] || echo twisted
  fi
}

# Starts every server for KIND on TRANSPORT; sets up to those that started.
start_all() {
  local server
  up=()
  for server in $(servers "$1" "$2"); do
    if start "$server" "$1" "$2"; then up+=("$server"); fi
  done
}

# Runs loadgen MODE [ARGS...] against SERVER (loadgen's port argument filled in); prints its result
# line, with server_cpu= the server's CPU share over the run (from /proc: 1.00 is a whole core).
loadgen_run() {
  local server=$1 mode=$2 ticks_before ticks_after started ended out
  shift 2
  ticks_before=$(cpu_ticks "${pid[$server]}")
  started=$(date +%s.%N)
  out=$("${client_cpu[@]}" "$bin/loadgen" "$mode" "${port[$server]}" "$@") || return 1
  ended=$(date +%s.%N)
  ticks_after=$(cpu_ticks "${pid[$server]}")
  echo "$out server_cpu=$(awk -v a="$ticks_before" -v b="$ticks_after" -v s="$started" -v e="$ended" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (b - a) / hz / (e - s) }')"
}

# One echo run against SERVER: MODE CONNECTIONS SIZE SECONDS [WINDOW].
echo_run() { loadgen_run "$1" "$2" "$3" "$5" "$4" 0 ${6:+"$6"}; }

# Prints the CPU ticks (user + system) process PID has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

echo_runs() {
  local transport=$1 server round out mode connections up=()
  start_all echo "$transport"
  for test in pingpong-1 pingpong-64 pingpong-1000 stream-1 stream-64 stream-16w64; do
    mode=${test%%-*}; connections=${test#*-}; local window=""
    if [[ "$connections" == *w* ]]; then window=$(( ${connections#*w} * 1024 )); connections=${connections%w*}; fi
    local size=$([ "$mode" = pingpong ] && echo 64 || echo 16384)
    for server in "${up[@]}"; do # warm-up: JIT, pools, caches
      [ -n "${pid[$server]:-}" ] || continue
      echo_run "$server" "$mode" "$connections" "$size" "$warmup" "$window" >/dev/null || failed "$server" "$transport" "$test warm-up failed"
    done
    for round in $(seq 1 "$rounds"); do
      for server in "${up[@]}"; do
        [ -n "${pid[$server]:-}" ] || continue
        out=$(echo_run "$server" "$mode" "$connections" "$size" "$seconds" "$window") || { failed "$server" "$transport" "$test failed"; continue; }
        record "$test|$transport|$server" "$(field "$([ "$mode" = pingpong ] && echo rate || echo mib_s)" "$out")"
        record "$test|$transport|$server|cpu" "$(field server_cpu "$out")"
        record "$test|$transport|$server|loadcpu" "$(field cpu "$out")"
        echo "  $server $transport: $out"
      done
    done
  done
  for server in "${up[@]}"; do [ -z "${pid[$server]:-}" ] || stop "$server"; done
}

# Each round, each server in turn: started afresh, one storm (cold), its connections closed, two
# more to finish the JIT's work (not counted: the second storm of a JVM still runs code being
# compiled), then the warm one, and stopped.
storm_runs() {
  local transport=$1 server round out phase
  for round in $(seq 1 "$rounds"); do
    for server in $(servers echo "$transport"); do
      start "$server" echo "$transport" || continue
      for phase in cold warm-up warm-up warm; do
        out=$(loadgen_run "$server" storm "$storm") || { failed "$server" "$transport" "storm ($phase) failed"; break; }
        if [ "$phase" = warm-up ]; then sleep 1; continue; fi
        record "storm-$phase|$transport|$server" "$(field rate "$out")"
        record "storm-$phase|$transport|$server|cpu" "$(field server_cpu "$out")"
        record "storm-$phase|$transport|$server|loadcpu" "$(field cpu "$out")"
        echo "  $server $transport storm $phase: $out"
        sleep 1 # the server closes the storm's connections
      done
      [ -z "${pid[$server]:-}" ] || stop "$server"
    done
  done
}

# Prints "LIVE_HEAP_BYTES RESIDENT_BYTES" of SERVER; a full GC first on a JVM.
memory() {
  local server=$1 heap=0 rss
  if [ "$server" = torsion ] || [ "$server" = netty ]; then
    heap=$("$jcmd" "${pid[$server]}" GC.class_histogram | awk '$1=="Total" {print $3}')
  fi
  rss=$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/${pid[$server]}/status")
  echo "$heap $rss"
}

# Waits until FILE has a line starting with PATTERN (or PROCESS is gone); prints that line.
await_line() {
  local file=$1 pattern=$2 process=$3
  for _ in $(seq 1 1800); do
    grep -q "^$pattern" "$file" && break
    kill -0 "$process" 2>/dev/null || break
    sleep 0.1
  done
  grep -m1 "^$pattern" "$file" || true
}

# One server at a time: each holds as many connections as the machine's limit allows.
hold_runs() {
  local transport=$1 server half out loader before after heap rss
  for server in $(servers hold "$transport"); do
    start "$server" hold "$transport" || continue
    "${client_cpu[@]}" "$bin/loadgen" hold "${port[$server]}" "$hold" >"$work/hold.out" 2>&1 &
    loader=$!
    out=""
    half=$(await_line "$work/hold.out" "mode=hold-half" "$loader")
    if [ -n "$half" ]; then
      sleep 1 # let the last connectionMade callbacks run
      before=$(memory "$server")
      kill -USR1 "$loader"
      out=$(await_line "$work/hold.out" "mode=hold " "$loader")
    fi
    if [ -n "$out" ] && [ "$(field failed "$out")" = 0 ]; then
      sleep 1
      after=$(memory "$server")
      read -r heap rss <<<"$(awk -v b="$before" -v a="$after" -v n="$(field second_half "$out")" \
        'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.0f %.0f", (y[1] - x[1]) / n, (y[2] - x[2]) / n }')"
      record "hold-rate|$transport|$server" "$(field rate "$out")"
      record "hold-bytes|$transport|$server" "$rss"
      [ "$heap" = 0 ] || record "hold-heap|$transport|$server" "$heap"
      echo "  $server $transport: $out; each of the second half: resident ${rss} B, live heap ${heap} B"
      kill "$loader" 2>/dev/null || true
      wait "$loader" 2>/dev/null || true
      stop "$server"
    else
      kill "$loader" 2>/dev/null || true
      wait "$loader" 2>/dev/null || true
      failed "$server" "$transport" "holding failed: $(tr '\n' ' ' <"$work/hold.out")"
    fi
  done
}

# One wrk run against SERVER: MODE (plain or pipelined) SECONDS; prints wrk's report.
wrk_run() {
  local extra=()
  [ "$2" = pipelined ] && extra=(-s benchmarks/load/pipeline.lua -- 16)
  "${client_cpu[@]}" wrk -t1 -c64 -d"${3}s" --latency "http://127.0.0.1:${port[$1]}/plaintext" "${extra[@]}"
}

http_runs() {
  local transport=$1 server round out mode up=()
  start_all http "$transport"
  for mode in plain pipelined; do
    for server in "${up[@]}"; do
      [ -n "${pid[$server]:-}" ] || continue
      wrk_run "$server" "$mode" "$warmup" >/dev/null || failed "$server" "$transport" "http $mode warm-up failed"
    done
    for round in $(seq 1 "$rounds"); do
      for server in "${up[@]}"; do
        [ -n "${pid[$server]:-}" ] || continue
        out=$(wrk_run "$server" "$mode" "$seconds") || { failed "$server" "$transport" "wrk failed"; continue; }
        if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
          echo "  $server $transport http $mode: errors: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2
          failures=$((failures + 1))
        fi
        record "http-$mode|$transport|$server" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
        echo "  $server $transport http $mode: $(awk -v m=$mode '/Requests\/sec/ {print $2 " req/s"} $1=="99%" && m=="plain" {print "p99 " $2}' <<<"$out" | tr '\n' ' ')"
      done
    done
  done
  for server in "${up[@]}"; do [ -z "${pid[$server]:-}" ] || stop "$server"; done
}

echo "Torsion load harness: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), $("$java" -version 2>&1 | head -1)"
echo "$rounds rounds of ${seconds}s runs after a ${warmup}s warm-up; idle connections: $hold; storms of $storm; transports: ${transports[*]}"
for transport in "${transports[@]}"; do
  if wants echo; then echo "echo on $transport"; echo_runs "$transport"; fi
  if wants storm; then echo "connection storms on $transport"; storm_runs "$transport"; fi
  if wants hold; then echo "idle connections on $transport"; hold_runs "$transport"; fi
  if wants http; then
    if command -v wrk >/dev/null; then echo "http on $transport"; http_runs "$transport"
    else echo "http on $transport: skipped, wrk is not installed (apt-get install wrk)"; fi
  fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
median() {
  tr ' ' '\n' <<<"$1" | { grep . || true; } | sort -g | awk '{ v[NR] = $1 } END {
    if (NR) { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf (m >= 100 || m == int(m) ? "%.0f\n" : "%.1f\n"), m } }'
}
# The lowest and highest Torsion/Netty ratio of the rounds, as "lo-hi", when there are several.
spread() {
  [ -n "$1" ] && [ -n "$2" ] && [[ "$1" == *" "* ]] || { echo "-"; return; }
  paste -d' ' <(tr ' ' '\n' <<<"$1") <(tr ' ' '\n' <<<"$2") | awk '$2 > 0 { r = $1 / $2; if (lo == "" || r < lo) lo = r; if (hi == "" || r > hi) hi = r }
    END { if (lo == "") print "-"; else printf "%.2f-%.2f", lo, hi }'
}
tests=(pingpong-1 pingpong-64 pingpong-1000 stream-1 stream-64 stream-16w64 storm-cold storm-warm hold-rate hold-bytes hold-heap http-plain http-pipelined)
declare -A label=(
  [pingpong-1]="echo ping-pong 64 B, 1 conn (trips/s)" [pingpong-64]="echo ping-pong 64 B, 64 conns (trips/s)"
  [pingpong-1000]="echo ping-pong 64 B, 1000 conns (trips/s)" [stream-1]="echo stream 16 KiB, 1 conn (MiB/s)"
  [stream-64]="echo stream 16 KiB, 64 conns (MiB/s)" [stream-16w64]="echo stream 16 KiB, 16 conns x 64 KiB (MiB/s)"
  [storm-cold]="storm: $storm connects, cold JVM (conns/s)" [storm-warm]="storm: $storm connects, warm (conns/s)"
  [hold-rate]="connect + first echo, 2nd half (conns/s)"
  [hold-bytes]="resident memory per idle conn (bytes)" [hold-heap]="  live heap per idle conn (bytes)"
  [http-plain]="HTTP plaintext (req/s)" [http-pipelined]="HTTP plaintext, pipelined x16 (req/s)")
echo
printf '%-46s %-9s %10s %10s %13s %10s %10s %9s %10s  %s\n' test transport Torsion "raw Netty" Torsion/Netty "(rounds)" "C epoll" Torsion/C Twisted \
  "CPU server/load: Torsion Netty C"
for test in "${tests[@]}"; do
  for transport in "${transports[@]}"; do
    all_t=${result["$test|$transport|torsion"]:-}
    all_n=${result["$test|$transport|netty"]:-}
    t=$(median "$all_t"); n=$(median "$all_n")
    c=$(median "${result["$test|$transport|c"]:-}"); w=$(median "${result["$test|$transport|twisted"]:-}")
    [ -n "$t$n$c$w" ] || continue
    shares=""
    for server in torsion netty c; do
      sc=$(median "${result["$test|$transport|$server|cpu"]:-}"); lc=$(median "${result["$test|$transport|$server|loadcpu"]:-}")
      [ -z "$sc" ] || shares="$shares $(awk -v a="$sc" -v b="$lc" 'BEGIN { printf "%.0f/%.0f%%", a * 100, b * 100 }')"
    done
    printf '%-46s %-9s %10s %10s %13s %10s %10s %9s %10s %s\n' "${label[$test]}" "$transport$([ "$transport" = iocp ] && echo '*')" \
      "${t:--}" "${n:--}" "$(ratio "$t" "$n")" "$(spread "$all_t" "$all_n")" "${c:--}" "$(ratio "$t" "$c")" "${w:--}" "${shares# }"
  done
done
[[ " ${transports[*]} " != *" iocp "* ]] || echo "* iocp has no raw Netty counterpart: its baseline is Netty NIO"
if [ "$failures" -gt 0 ]; then
  echo "$failures run(s) failed: see above" >&2
  exit 1
fi
