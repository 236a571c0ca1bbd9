#!/usr/bin/env bash
# Torsion scale-out recipe: HAProxy in front of several demo processes that speak the PROXY
# protocol and share their board in Redis. Puts HTTP load through HAProxy with wrk, drains one demo
# process mid-run (SIGTERM: /readyz turns 503, HAProxy takes it out, it serves on for
# --drain-delay, then exits), restarts it, and checks that no request failed and that a WATCH on
# one process hears a SET made through another. Its last line:
#   scale-out: requests=N failed=F drained=D cross_process_watch=ok|FAILED
#
# usage: examples/scale-out/run.sh [--processes N] [--seconds S] [--connections C] [--jar PATH]
# Needs: java, haproxy, redis-server, wrk, python3 (Debian: apt-get install haproxy redis-server wrk).
# Everything listens on free ports of 127.0.0.1 and is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/torsion-demo.jar"
processes=2
seconds=8
connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --processes) processes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "scale-out: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in java haproxy redis-server wrk python3; do
  command -v "$tool" >/dev/null || { echo "scale-out: $tool is not installed" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "scale-out: no demo jar at $jar (build it: mvn -B -q package -DskipTests)" >&2; exit 2; }
[ "$processes" -ge 2 ] || { echo "scale-out: --processes must be at least 2" >&2; exit 2; }

work="$(mktemp -d -t torsion-scale-out.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_ports() { # prints N ports of 127.0.0.1 free a moment ago
  python3 - "$1" <<'PY'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

wait_for() { # wait_for URL-ish-description command...: retries a command for 20 s
  local what="$1"; shift
  for _ in $(seq 1 200); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "scale-out: $what did not come up; logs in $work" >&2
  exit 1
}

# A request with a PROXY header, as HAProxy sends it; prints the status line's code.
proxied_status() { # port path
  python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"PROXY TCP4 127.0.0.1 127.0.0.1 1 1\r\nGET " + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk: break
    data += chunk
code = data.split(b" ", 2)[1].decode() if data else "none"
print(code); sys.exit(0 if code == "200" else 1)
PY
}

read -r redis_port haproxy_http haproxy_line <<<"$(free_ports 3)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for "redis-server" python3 -c "import socket; socket.create_connection(('127.0.0.1', $redis_port), 1)"

declare -a http_ports line_ports demo_pids
start_demo() { # index
  local i="$1"
  java -jar "$jar" --host 127.0.0.1 --echo-port 0 --udp-port 0 \
    --http-port "${http_ports[$i]}" --line-port "${line_ports[$i]}" \
    --board "redis://127.0.0.1:$redis_port" --proxy-protocol required --drain-delay 2 \
    --access-log >>"$work/demo-$i.log" 2>&1 &
  demo_pids[$i]=$!
  pids+=($!)
  wait_for "demo $i" proxied_status "${http_ports[$i]}" /readyz
}
for i in $(seq 0 $((processes - 1))); do
  read -r http_ports[$i] line_ports[$i] <<<"$(free_ports 2)"
  start_demo "$i"
done

{
  echo "global"
  echo "  maxconn 4096"
  echo "defaults"
  echo "  timeout connect 2s"
  echo "  timeout client 30s"
  echo "  timeout server 30s"
  echo "  retries 3"
  echo "  option redispatch"
  echo "frontend http"
  echo "  mode http"
  echo "  bind 127.0.0.1:$haproxy_http"
  echo "  default_backend demos_http"
  echo "backend demos_http"
  echo "  mode http"
  echo "  balance roundrobin"
  echo "  retry-on all-retryable-errors"
  echo "  http-request disable-l7-retry if METH_POST"
  echo "  option httpchk GET /readyz"
  echo "  default-server send-proxy-v2 check inter 300ms fall 1 rise 2"
  for i in $(seq 0 $((processes - 1))); do echo "  server demo$i 127.0.0.1:${http_ports[$i]}"; done
  echo "frontend line"
  echo "  mode tcp"
  echo "  bind 127.0.0.1:$haproxy_line"
  echo "  default_backend demos_line"
  echo "backend demos_line"
  echo "  mode tcp"
  echo "  balance leastconn"
  echo "  default-server send-proxy"
  for i in $(seq 0 $((processes - 1))); do echo "  server demo$i 127.0.0.1:${line_ports[$i]} check"; done
} >"$work/haproxy.cfg"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
wait_for "haproxy" curl -fsS "http://127.0.0.1:$haproxy_http/plaintext"

echo "scale-out: redis=127.0.0.1:$redis_port haproxy=127.0.0.1:$haproxy_http (line 127.0.0.1:$haproxy_line)" \
  "demos=$processes logs=$work"

# Load through HAProxy; a third of the way in, drain demo 0 and start it again once it has exited.
wrk -t 1 -c "$connections" -d "${seconds}s" "http://127.0.0.1:$haproxy_http/plaintext" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep "$((seconds / 3))"
drained=0
kill -TERM "${demo_pids[0]}"
if wait "${demo_pids[0]}"; then drained=1; fi
echo "scale-out: demo 0 drained (exit status $([ $drained = 1 ] && echo 0 || echo nonzero)); restarting it"
start_demo 0
wait "$wrk_pid" || true
cat "$work/wrk.txt"

requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk.txt")
socket_errors=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$work/wrk.txt")
failed=$(( ${non2xx:-0} + ${socket_errors:-0} ))

# A WATCH on demo 1 hears a SET made through demo 0 (each reached directly, with a PROXY header).
watch=$(python3 - "${line_ports[1]}" "${http_ports[0]}" <<'PY'
import socket, sys
line = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
line.sendall(b"PROXY TCP4 127.0.0.1 127.0.0.1 1 1\r\n")
reader = line.makefile("rb")
reader.readline()  # WELCOME
line.sendall(b"WATCH\r\n")
assert reader.readline().strip() == b"WATCHING"
http = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10)
http.sendall(b"PROXY TCP4 127.0.0.1 127.0.0.1 1 1\r\nPUT /kv/scale-out HTTP/1.1\r\nHost: x\r\n"
             b"Content-Length: 7\r\nConnection: close\r\n\r\nshared!")
status = http.recv(4096).split(b" ")[1]
update = reader.readline().strip()
print("ok" if status == b"204" and update == b"UPDATE scale-out shared!" else "FAILED")
PY
) || watch=FAILED

echo "scale-out: requests=${requests:-0} failed=$failed drained=$drained cross_process_watch=$watch"
[ "$failed" = 0 ] && [ "$watch" = ok ] && [ "$drained" = 1 ] && [ "${requests:-0}" -gt 0 ]
