#!/usr/bin/env python3
"""The never-reading attack (issue 12): clients that send as fast as TCP lets them and never read,
against the demo's echo and line ports, while an ordinary client keeps asking ECHO and timing the
answer. Reports the probe's latencies, the server's peak resident memory, and the attackers still
connected. Loopback only; bounded in time; stops by itself."""
import argparse, os, selectors, socket, sys, threading, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--echo-port", type=int, required=True)
    p.add_argument("--line-port", type=int, required=True)
    p.add_argument("--clients", type=int, default=1000, help="attackers per port")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--pid", type=int, required=True, help="the server's pid, for its RSS")
    a = p.parse_args()
    assert a.host in ("127.0.0.1", "::1", "localhost"), "loopback only"

    line_payload = (b"ECHO " + b"x" * 1017 + b"\r\n") * 64      # 1 KiB ECHO lines
    echo_payload = os.urandom(64 * 1024)
    sel = selectors.DefaultSelector()
    attackers = []
    refused = 0
    for port, payload in ((a.echo_port, echo_payload), (a.line_port, line_payload)):
        for _ in range(a.clients):
            s = socket.socket()
            try:
                s.connect((a.host, port))
            except OSError:
                refused += 1
                s.close()
                continue
            s.setblocking(False)
            sel.register(s, selectors.EVENT_WRITE, payload)
            attackers.append(s)

    stop = time.monotonic() + a.seconds
    latencies, failures, peak_rss = [], [0], [0]

    def probe():
        c = socket.create_connection((a.host, a.line_port), timeout=5)
        f = c.makefile("rb")
        f.readline()  # WELCOME
        i = 0
        while time.monotonic() < stop:
            i += 1
            started = time.monotonic()
            try:
                c.sendall(b"ECHO probe %d\r\n" % i)
                answer = f.readline()
                if answer != b"probe %d\r\n" % i:
                    failures[0] += 1
            except OSError:
                failures[0] += 1
                c = socket.create_connection((a.host, a.line_port), timeout=5)
                f = c.makefile("rb"); f.readline()
                continue
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)

    def sample():
        while time.monotonic() < stop:
            peak_rss[0] = max(peak_rss[0], rss_kib(a.pid))
            time.sleep(0.5)

    threads = [threading.Thread(target=probe), threading.Thread(target=sample)]
    for t in threads:
        t.start()
    sent = 0
    dropped = 0
    while time.monotonic() < stop:
        for key, _ in sel.select(timeout=0.2):
            try:
                sent += key.fileobj.send(key.data)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                sel.unregister(key.fileobj); key.fileobj.close(); dropped += 1
    for t in threads:
        t.join()
    alive = len(attackers) - dropped
    for s in attackers:
        try: s.close()
        except OSError: pass
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    print(f"attackers={2 * a.clients} connected={len(attackers)} refused={refused} still-connected-at-end={alive} "
          f"attack-bytes-sent={sent}")
    print(f"probe: answers={len(latencies)} failures={failures[0]} p50={pct(0.5):.1f}ms p99={pct(0.99):.1f}ms "
          f"max={pct(1.0):.1f}ms")
    print(f"server: peak-rss={peak_rss[0] // 1024} MiB")
    ok = failures[0] == 0 and latencies and latencies[-1] < 0.1
    print("verdict: " + ("every probe answered within 100 ms" if ok else "SOME PROBE FAILED OR TOOK OVER 100 ms"))
    sys.exit(0 if ok else 1)

if __name__ == "__main__":
    main()
