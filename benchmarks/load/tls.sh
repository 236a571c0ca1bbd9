#!/usr/bin/env bash
# TLS load: Torsion against a raw Netty 4.2 server with SslHandler, on the same TLS engine and the
# same transport, side by side in one run, taking turns (--rounds); Twisted (listenSSL, pyOpenSSL)
# for the record. Servers on CPU 0, load generator on CPU 1; loopback only.
#
#   stream      16 TLS connections with 64 KiB in flight in 16 KiB writes to an echo (MiB/s)
#   handshakes  full TLS 1.3 handshakes one after the other, no resumption, each proved by an
#               echoed byte (per second)
#   https       GET /plaintext over TLS, wrk with 64 keep-alive connections (requests/s); wrk's
#               TLS costs about what the server's does, so this row tends to measure the load
#               generator (see its CPU share)
#   https-half  the same with each server held to half a core (a CPU quota of its own cgroup, v1 or
#               v2; needs root or a delegated cgroup, else the row says it was skipped): the server is
#               the limit and wrk is not, so the ratio compares the servers
#   https16     the same, 16 requests pipelined per connection: the row where the server saturates
#   idle        what each idle TLS connection adds to the server's resident memory: --hold
#               connections opened in two halves, the slope of the second, JVMs with default flags,
#               a fresh server each round, after a warm-up hold of a half opened and closed; the
#               same slope outside the Java heap's reserved range (native: the TLS engine's malloc,
#               direct buffers, the JVM's own arenas); and the live heap per connection (full GCs
#               before the halves and after both were read). With 2,000 per half the JVM's own
#               churn (JIT arenas, eden first touched) moved a round by +-4 KB per connection; with
#               8,000 (the default) rounds agree within 1-3%
#
# Load comes from benchmarks/load/c/tlsload.c (OpenSSL) and wrk. Every row shows the CPU shares of
# the server and of the load generator (1.00: a whole core) so that a row measuring the load
# generator can be told.
#
# Usage: benchmarks/load/tls.sh [--rounds N] [--seconds N] [--warmup N] [--hold N] [--engines "jdk openssl"]
#                               [--only stream,handshakes,https,https-half,https16,idle] [TRANSPORT]
#   defaults: 3 rounds of 3 s after a 10 s warm-up run per server and test (the JDK's TLS stack
#   takes that long to compile: its handshake rate doubles over the first 15 s), 16,000 idle
#   connections (fewer when the open-file limit is lower), both engines, every test, epoll
#   JAVA=/path/to/bin/java: the JDK Torsion and Netty run on; JAVA_OPTS="-Xmn16m ...": more flags
#   for both JVMs, in every run (the idle runs otherwise use the JVM's defaults, as users start it)
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=3
warmup=10
hold=16000
engines="jdk openssl"
only="stream,handshakes,https,https-half,https16,idle"
transport=epoll
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --engines) engines=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/{/^#/p}' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) transport=$1; shift ;;
  esac
done

files=$(ulimit -n)
if [ "$files" != unlimited ] && [ "$hold" -gt $((files - 1000)) ]; then
  hold=$(((files - 1000) / 2 * 2))
  echo "idle: holding $hold connections (the open-file limit is $files)" >&2
fi

jar=benchmarks/target/benchmarks.jar
bin=benchmarks/target/load
[ -f "$jar" ] || mvn -B -q -DskipTests -Dbench package -pl benchmarks -am
mkdir -p "$bin"
gcc -O2 -Wall -Wextra -Werror -o "$bin/tlsload" benchmarks/load/c/tlsload.c -lssl -lcrypto -lpthread
twisted=""
/usr/bin/python3 -c 'import twisted, OpenSSL' 2>/dev/null && twisted=/usr/bin/python3
server_cpu=(); client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi
java=${JAVA:-java}
work=$(mktemp -d)
declare -A pid port result
trap 'for p in "${pid[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; uncap_all; rm -rf "$work"' EXIT
next_port=19300
# RSA 2048: the server's signature costs more than the client's verification, so that a handshake
# row measures the server (with EC P-256 the client's verification was the bottleneck).
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# Starts NAME (torsion, netty, twisted) serving KIND (echo, plaintext) on ENGINE; FLAGS: JVM flags.
start() {
  local name=$1 kind=$2 engine=$3 flags=$4 command=()
  next_port=$((next_port + 1))
  case $name in
    torsion|netty)
      local class=TorsionTlsServer
      [ "$name" = netty ] && class=NettyTlsServer
      read -r -a jvm_flags <<<"$flags ${JAVA_OPTS:-}"
      command=("$java" "${jvm_flags[@]}" -cp "$jar" "io.torsion.benchmarks.load.$class" "$kind" "$next_port" "$transport" "$engine" "$work/cert.pem" "$work/key.pem") ;;
    twisted) command=("$twisted" benchmarks/load/twisted_servers.py "$([ "$kind" = plaintext ] && echo http || echo echo)" "$next_port" "$work/cert.pem" "$work/key.pem") ;;
  esac
  "${server_cpu[@]}" "${command[@]}" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
  port[$name]=$next_port
  for _ in $(seq 1 300); do
    grep -q "127.0.0.1:$next_port" "$work/$name.log" && return 0
    kill -0 "${pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start:" >&2; tail -5 "$work/$name.log" >&2
  return 1
}
# CPU quotas: a cgroup per server (cgroup v2's cpu.max, else v1's CFS quota), a 10 ms period.
cgroup_kind=""; cgroup_base=""
if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers \
  && { grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control; } 2>/dev/null \
  && [ -w /sys/fs/cgroup ]; then
  cgroup_kind=v2; cgroup_base=/sys/fs/cgroup
else
  for d in /sys/fs/cgroup/cpu /sys/fs/cgroup/cpu,cpuacct; do
    [ -f "$d/cpu.cfs_quota_us" ] && [ -w "$d" ] && { cgroup_kind=v1; cgroup_base=$d; break; }
  done
fi
cap() { # NAME FRACTION|max: holds the server NAME to FRACTION of a core, or lets it go (max)
  local dir="$cgroup_base/torsion-tls-$1" quota
  [ -n "$cgroup_kind" ] || return 1
  mkdir -p "$dir" || return 1
  quota=$([ "$2" = max ] && echo -1 || awk -v f="$2" 'BEGIN { printf "%d", f * 10000 }')
  if [ "$cgroup_kind" = v2 ]; then
    echo "$([ "$quota" = -1 ] && echo max || echo "$quota") 10000" >"$dir/cpu.max" || return 1
  else
    echo 10000 >"$dir/cpu.cfs_period_us" && echo "$quota" >"$dir/cpu.cfs_quota_us" || return 1
  fi
  echo "${pid[$1]}" >"$dir/cgroup.procs"
}
uncap_all() { for d in "$cgroup_base"/torsion-tls-*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done; return 0; }
jcmd=$(dirname "$(command -v "$java")")/jcmd
[ -x "$jcmd" ] || jcmd=jcmd
# Prints the live heap of the JVM serving NAME, after the full GC that counting it takes; nothing
# for a server not on a JVM.
live_heap() {
  [ "$1" = torsion ] || [ "$1" = netty ] || return 0
  "$jcmd" "${pid[$1]}" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3 }' || true
}
# Prints the Java heap's reserved range of the JVM serving NAME as "LO HI" (hex, no 0x): the lowest
# and highest address GC.heap_info names (Serial, which a JVM on one core picks, names a young and an
# old space; G1 one range); nothing for a server not on a JVM.
heap_range() {
  [ "$1" = torsion ] || [ "$1" = netty ] || return 0
  "$jcmd" "${pid[$1]}" GC.heap_info 2>/dev/null | grep -o '0x[0-9a-f]\{16\}' | sort | sed -n '1p;$p' | sed 's/^0x//' | tr '\n' ' ' || true
}
# Prints the resident bytes of PID outside the range LO HI (hex; none given: everything): what
# malloc (the TLS engine's native state), direct buffers, stacks and the JVM itself hold.
rss_outside() {
  local pid=$1 lo=$((16#${2:-0})) hi=$((16#${3:-0})) total=0 start kib
  while read -r start kib; do
    ((16#$start >= lo && 16#$start < hi)) || total=$((total + kib))
  done < <(awk '$1 ~ /^[0-9a-f]+-[0-9a-f]+$/ { split($1, r, "-"); start = r[1] } $1 == "Rss:" { print start, $2 }' "/proc/$pid/smaps")
  echo $((total * 1024))
}
stop() { kill "${pid[$1]}" 2>/dev/null || true; wait "${pid[$1]}" 2>/dev/null || true; unset "pid[$1]"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Runs COMMAND... against NAME; prints its output, then server_cpu= and client_cpu=, the CPU shares
# of the server and of COMMAND over the run (COMMAND's from the shell's `times`, written without a
# fork: a forked shell counts no children).
measured() {
  local name=$1 before after started ended out client
  shift
  before=$(cpu_ticks "${pid[$name]}"); started=$(date +%s.%N)
  out=$("${client_cpu[@]}" "$@" 2>&1 && times >"$work/times") || { echo "failed: $out" >&2; return 1; }
  ended=$(date +%s.%N); after=$(cpu_ticks "${pid[$name]}")
  client=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } print t }' "$work/times")
  echo "$out $(awk -v a="$before" -v b="$after" -v c="$client" -v s="$started" -v e="$ended" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "server_cpu=%.2f client_cpu=%.2f", (b - a) / hz / (e - s), c / (e - s) }')"
}
value() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1==k {print $2}'; }
record() { result["$1"]="${result["$1"]:-}${result["$1"]:+ }$2"; }
run_once() {
  local test=$1 name=$2 engine=$3 seconds=${4:-$seconds} out figure
  case $test in
    stream) out=$(measured "$name" "$bin/tlsload" stream "${port[$name]}" 16 "$seconds") && figure=$(value mibps "$out") ;;
    handshakes) out=$(measured "$name" "$bin/tlsload" handshakes "${port[$name]}" "$seconds") && figure=$(value per_second "$out") ;;
    https|https-half)
      if [ "$test" = https-half ] && ! cap "$name" 0.5; then
        echo "  https-half skipped: no writable cgroup with a CPU controller (run as root)" >&2; return 0
      fi
      out=$(measured "$name" wrk -t1 -c64 -d"${seconds}s" "https://127.0.0.1:${port[$name]}/plaintext") \
        && figure=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      [ "$test" = https ] || cap "$name" max ;;
    https16) out=$(measured "$name" wrk -t1 -c64 -d"${seconds}s" -s benchmarks/load/pipeline.lua \
               "https://127.0.0.1:${port[$name]}/plaintext" -- 16) && figure=$(awk '/Requests\/sec/ {print $2}' <<<"$out") ;;
  esac
  [ -n "${figure:-}" ] || { echo "  $test $name ($engine): no figure: ${out:-}" >&2; return 0; }
  record "$test|$engine|$name" "$figure"
  record "$test|$engine|$name|cpu" "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^server_cpu=/) { sub("server_cpu=", "", $i); print $i } }' <<<"$out")"
  record "$test|$engine|$name|load" "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^client_cpu=/) { sub("client_cpu=", "", $i); print $i } }' <<<"$out")"
}

wants() { [[ ",$only," == *",$1,"* ]]; }
fixed="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
for engine in $engines; do
  for kind in echo plaintext; do
    if [ "$kind" = echo ]; then wants stream || wants handshakes || continue; else wants https || wants https-half || wants https16 || continue; fi
    names=(torsion netty)
    [ -n "$twisted" ] && [ "$engine" = openssl ] && names+=(twisted) # pyOpenSSL is OpenSSL
    up=()
    for name in "${names[@]}"; do start "$name" "$kind" "$engine" "$fixed" && up+=("$name"); done
    tests=(stream handshakes); [ "$kind" = plaintext ] && tests=(https https-half https16)
    for test in "${tests[@]}"; do
      wants "$test" || continue
      for name in "${up[@]}"; do run_once "$test" "$name" "$engine" "$warmup" >/dev/null; done # warm-up, not recorded
      unset "result[$test|$engine|torsion]" "result[$test|$engine|netty]" "result[$test|$engine|twisted]"
      for name in torsion netty twisted; do unset "result[$test|$engine|$name|cpu]" "result[$test|$engine|$name|load]"; done
      for round in $(seq 1 "$rounds"); do
        for name in "${up[@]}"; do
          [ "$name" = twisted ] && [ "$round" -gt 1 ] && continue # Twisted: one round, for the record
          run_once "$test" "$name" "$engine"
        done
      done
    done
    for name in "${up[@]}"; do stop "$name"; done
  done
  # Idle TLS connections: one fresh server at a time, default JVM flags, every round (the slope
  # depends on how much of a fresh JVM's young generation the first half happened to touch).
  names=(torsion netty); [ -n "$twisted" ] && [ "$engine" = openssl ] && names+=(twisted)
  wants idle || names=()
  for round in $(seq 1 "$rounds"); do for name in "${names[@]}"; do
    [ "$name" = twisted ] && [ "$round" -gt 1 ] && continue # Twisted: one round, for the record
    start "$name" echo "$engine" "" || continue
    half=$((hold / 2))
    # A warm-up hold, opened and closed first, so that the JIT's compiles of the handshake (whose
    # arenas glibc keeps resident) are not counted in a half.
    exec {warm}< <(exec "${client_cpu[@]}" "$bin/tlsload" hold "${port[$name]}" "$half")
    read -r line <&$warm
    pkill -f "tlsload hold ${port[$name]} " 2>/dev/null || true
    exec {warm}<&-
    sleep 8 # the server closes them (with 1 s the figures were much the same)
    heap_before=$(live_heap "$name") # before the halves: a full GC here leaves them alone
    read -r heap_lo heap_hi <<<"$(heap_range "$name")"
    exec {first}< <(exec "${client_cpu[@]}" "$bin/tlsload" hold "${port[$name]}" "$half")
    read -r line <&$first
    before=$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/${pid[$name]}/status")
    native_before=$(rss_outside "${pid[$name]}" "$heap_lo" "$heap_hi")
    exec {second}< <(exec "${client_cpu[@]}" "$bin/tlsload" hold "${port[$name]}" "$half")
    read -r line <&$second
    after=$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/${pid[$name]}/status")
    native_after=$(rss_outside "${pid[$name]}" "$heap_lo" "$heap_hi")
    record "idle|$engine|$name" "$(( (after - before) / half ))"
    record "native|$engine|$name" "$(( (native_after - native_before) / half ))"
    heap_after=$(live_heap "$name")
    [ -n "$heap_before" ] && [ -n "$heap_after" ] && record "heap|$engine|$name" "$(( (heap_after - heap_before) / (2 * half) ))"
    stop "$name"
    pkill -f "tlsload hold ${port[$name]}" 2>/dev/null || true
    exec {first}<&- {second}<&-
  done; done
done

median() { tr ' ' '\n' <<<"$1" | { grep . || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR) { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f\n", m } }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
cpu() { local m; m=$(tr ' ' '\n' <<<"$1" | { grep . || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'); echo "${m:--}"; }
shares() { echo " ($(cpu "${result[$1|$2|$3|cpu]:-}")/$(cpu "${result[$1|$2|$3|load]:-}"))"; } # TEST ENGINE NAME
echo
echo "TLS on $transport, $rounds rounds of ${seconds}s after ${warmup}s warm-up (medians; CPU shares server/load generator in brackets), $hold idle connections"
echo "| test | engine | Torsion | raw Netty SslHandler | Torsion/Netty | the same per server CPU-second | Twisted |"
echo "|---|---|---|---|---|---|---|"
declare -A label=([stream]="echo stream 16 conns x 64 KiB (MiB/s)" [handshakes]="new TLS 1.3 handshakes (per s)" [https]="HTTPS GET /plaintext, 64 keep-alive conns (req/s)" [https-half]="the same, each server held to half a core (req/s)" [https16]="HTTPS GET /plaintext pipelined x16, 64 conns (req/s)" [idle]="memory per idle TLS conn (bytes, RSS slope)" [native]="the same outside the Java heap (bytes, RSS slope)" [heap]="live heap per idle TLS conn (bytes)")
rows=(stream handshakes https https-half https16 idle native heap)
memory() { [ "$1" = idle ] || [ "$1" = native ] || [ "$1" = heap ]; } # rows of bytes, no CPU shares
for test in "${rows[@]}"; do
  for engine in $engines; do
    t=$(median "${result[$test|$engine|torsion]:-}"); n=$(median "${result[$test|$engine|netty]:-}"); w=$(median "${result[$test|$engine|twisted]:-}")
    tc=""; nc=""; wc=""
    if ! memory "$test"; then tc=$(shares "$test" "$engine" torsion); nc=$(shares "$test" "$engine" netty); [ -n "$w" ] && wc=$(shares "$test" "$engine" twisted); fi
    per_cpu="-" # what a row limited by its load generator can still compare: the work per CPU-second
    if ! memory "$test" && [ -n "$t" ] && [ -n "$n" ]; then
      per_cpu=$(ratio "$(awk -v f="$t" -v c="$(cpu "${result[$test|$engine|torsion|cpu]:-}")" 'BEGIN { if (c > 0) print f / c }')" \
        "$(awk -v f="$n" -v c="$(cpu "${result[$test|$engine|netty|cpu]:-}")" 'BEGIN { if (c > 0) print f / c }')")
    fi
    echo "| ${label[$test]} | $engine | ${t:--}$tc | ${n:--}$nc | $(ratio "$t" "$n") | $per_cpu | ${w:--}$wc |"
  done
done
echo
echo "Every round (the noise):"
for test in "${rows[@]}"; do
  for engine in $engines; do
    for name in torsion netty twisted; do
      [ -n "${result[$test|$engine|$name]:-}" ] && echo "  $test $engine $name: ${result[$test|$engine|$name]}"
    done
  done
done
exit 0
