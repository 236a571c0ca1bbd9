#!/usr/bin/env bash
# HTTP client load: Torsion's HttpClient beside the JDK's java.net.http.HttpClient (HTTP/1.1) and
# Netty's HttpClientCodec (epoll), each in turn the load generator against one nginx (Debian's
# nginx-light, one worker) answering GET /plaintext with 13 bytes from memory: CONNECTIONS
# keep-alive connections, one request in flight on each (requests/s). nginx on CPU 0, the clients
# on CPU 1; the client is what saturates, so its CPU share (1.00: a whole core) is shown beside.
#
# Usage: benchmarks/load/client.sh [--rounds N] [--seconds N] [--warmup N] [--connections N]
#   defaults: 3 rounds of 5 s, each after a 5 s warm-up in the same JVM, 64 connections
#   JAVA=/path/to/bin/java: the JDK the clients run on
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
seconds=5
warmup=5
connections=64
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x /usr/sbin/nginx ] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests -Dbench package -pl benchmarks -am
java=${JAVA:-java}
server_cpu=(); client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi

work=$(mktemp -d)
port=19400
user=""; [ "$(id -u)" = 0 ] && user="user root;"
cat >"$work/nginx.conf" <<CONF
$user
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$port;
    location = /plaintext { default_type text/plain; return 200 'Hello, World!'; }
  }
}
CONF
"${server_cpu[@]}" /usr/sbin/nginx -p "$work" -c "$work/nginx.conf" &
nginx=$!
trap 'kill "$nginx" 2>/dev/null; wait "$nginx" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

cpu_share() { # PID SECONDS: the CPU share of the process over its life, as measured from /proc
  awk -v hz="$(getconf CLK_TCK)" -v s="$2" '{ printf "%.2f", ($14 + $15) / hz / s }' "/proc/$1/stat"
}
declare -A result cpu
for round in $(seq 1 "$rounds"); do
  for client in torsion jdk netty; do
    "${client_cpu[@]}" "$java" -cp "$jar" io.torsion.benchmarks.load.ClientLoad "$client" \
      "http://127.0.0.1:$port/plaintext" "$connections" "$warmup" "$seconds" >"$work/$client.out" 2>&1 &
    pid=$!
    sleep "$((warmup + seconds - 1))"
    share=$(cpu_share "$pid" "$((warmup + seconds - 1))" 2>/dev/null || echo "?")
    wait "$pid" || { echo "$client failed: $(cat "$work/$client.out")" >&2; continue; }
    figure=$(awk '/^requests\/s/ {print $2}' "$work/$client.out")
    errors=$(awk '/^requests\/s/ {print $4}' "$work/$client.out")
    [ "$errors" = 0 ] || echo "  $client round $round: $errors errors" >&2
    result[$client]="${result[$client]:-}${result[$client]:+ }$figure"
    cpu[$client]="${cpu[$client]:-}${cpu[$client]:+ }$share"
    echo "  round $round $client: $figure requests/s (client cpu $share over its whole run)"
  done
done
median() { tr ' ' '\n' <<<"$1" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
t=$(median "${result[torsion]}")
echo
echo "| client ($connections keep-alive connections to nginx) | requests/s (median of $rounds) | client CPU | Torsion / it |"
echo "|---|---:|---:|---:|"
for client in torsion jdk netty; do
  m=$(median "${result[$client]}")
  echo "| $client | $m | $(median "${cpu[$client]}") | $(awk -v t="$t" -v m="$m" 'BEGIN { printf "%.2fx", t / m }') |"
done
