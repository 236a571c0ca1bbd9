#!/usr/bin/env python3
"""The never-reading attack (issue 12): clients that send as fast as TCP lets them and never read,
against the demo's echo and line ports, while an ordinary client keeps asking ECHO and timing the
answer. Reports the probe's latencies, the server's peak resident memory, and the attackers still
connected. Loopback only; bounded in time; stops by itself."""
import argparse, multiprocessing, os, selectors, socket, sys, time

PROBE_CPU = None  # --probe-cpu: where the ordinary client runs


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def probe(host, port, stop, results, welcomed):
    """An ordinary client: ECHO every 100 ms, each answer timed."""
    latencies, failures = [], 0
    if PROBE_CPU is not None:
        os.sched_setaffinity(0, {PROBE_CPU})
    started = time.monotonic()
    c = socket.create_connection((host, port), timeout=5)
    f = c.makefile("rb")
    f.readline()  # WELCOME
    welcomed.set()  # connected before the attack starts, as an ordinary client already is
    begun, slow = time.monotonic(), []
    i = 0
    while time.monotonic() < stop:
        i += 1
        started = time.monotonic()
        try:
            c.sendall(b"ECHO probe %d\r\n" % i)
            if f.readline() != b"probe %d\r\n" % i:
                failures += 1
        except OSError:
            failures += 1
            c = socket.create_connection((host, port), timeout=5)
            f = c.makefile("rb")
            f.readline()
            continue
        latencies.append(time.monotonic() - started)
        if latencies[-1] >= 0.05:
            slow.append((round(started - begun, 2), round(latencies[-1] * 1000)))
        time.sleep(0.1)
    results.put(("latencies", latencies))
    results.put(("slow", slow))
    results.put(("failures", failures))

def newcomer(host, port, stop, results):
    """A new client every second from the start of the attack: time from connect to the welcome
    line. New clients queue behind the attackers' connections in the accept queue, so the first
    waits while those are accepted."""
    waits, failures = [], 0
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            with socket.create_connection((host, port), timeout=10) as c:
                c.makefile("rb").readline()
            waits.append(time.monotonic() - started)
        except OSError:
            failures += 1
        time.sleep(1)
    results.put(("welcomes", waits))
    results.put(("welcome_failures", failures))

def sample(pid, stop, results):
    peak = 0
    while time.monotonic() < stop:
        peak = max(peak, rss_kib(pid))
        time.sleep(0.5)
    results.put(("peak_rss", peak))

def warm_up(host, echo_port, line_port, seconds):
    """Ordinary traffic before the attack, so the server's code is compiled, as on a server that
    has been up for a while."""
    stop = time.monotonic() + seconds
    payload = b"x" * 16384
    with socket.create_connection((host, echo_port)) as e, socket.create_connection((host, line_port)) as l:
        lf = l.makefile("rb")
        lf.readline()
        line = b"ECHO " + b"x" * 1017 + b"\r\n"
        while time.monotonic() < stop:
            e.sendall(payload)
            got = 0
            while got < len(payload):
                got += len(e.recv(65536))
            l.sendall(line * 16)
            for _ in range(16):
                lf.readline()

def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--echo-port", type=int, required=True)
    p.add_argument("--line-port", type=int, required=True)
    p.add_argument("--clients", type=int, default=1000, help="attackers per port")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--pid", type=int, required=True, help="the server's pid, for its RSS")
    p.add_argument("--no-latency-verdict", dest="judge_latency", action="store_false",
                   help="fail only on unanswered probes, not on slow ones (for CI's short smoke run)")
    p.add_argument("--attacker-buffers", type=int, default=0,
                   help="SO_SNDBUF/SO_RCVBUF of each attacker socket (0: the kernel's autotuning)")
    p.add_argument("--warm-up", type=float, default=5, help="seconds of ordinary traffic first")
    p.add_argument("--probe-cpu", type=int, help="run the ordinary client on this CPU (default: with the attack)")
    a = p.parse_args()
    global PROBE_CPU
    PROBE_CPU = a.probe_cpu
    assert a.host in ("127.0.0.1", "::1", "localhost"), "loopback only"

    if a.warm_up > 0:
        warm_up(a.host, a.echo_port, a.line_port, a.warm_up)
    stop = time.monotonic() + a.seconds
    # The probe and the memory sampler run in processes of their own, so that the attack loop
    # (and Python's GIL) cannot delay them: what they measure is the server.
    results = multiprocessing.Queue()
    welcomed = multiprocessing.Event()
    helpers = [multiprocessing.Process(target=probe, args=(a.host, a.line_port, stop, results, welcomed)),
               multiprocessing.Process(target=newcomer, args=(a.host, a.line_port, stop, results)),
               multiprocessing.Process(target=sample, args=(a.pid, stop, results))]
    for h in helpers:
        h.start()
    # The attack loop yields the CPU to the measuring processes: attackers elsewhere would not
    # compete with the ordinary client for this machine's cores.
    os.nice(10)
    if not welcomed.wait(30):
        sys.exit("the ordinary client was not welcomed before the attack")
    line_payload = (b"ECHO " + b"x" * 1017 + b"\r\n") * 64      # 1 KiB ECHO lines
    echo_payload = os.urandom(64 * 1024)
    sel = selectors.DefaultSelector()
    attackers = []
    refused = 0
    for port, payload in ((a.echo_port, echo_payload), (a.line_port, line_payload)):
        for _ in range(a.clients):
            s = socket.socket()
            if a.attacker_buffers:
                # Attackers on other machines keep their send and receive buffers in their own
                # kernels; here every buffer is this kernel's, so bound the attackers' side.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.attacker_buffers)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.attacker_buffers)
            try:
                s.connect((a.host, port))
            except OSError:
                refused += 1
                s.close()
                continue
            s.setblocking(False)
            sel.register(s, selectors.EVENT_WRITE, payload)
            attackers.append(s)

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
    got = dict(results.get(timeout=30) for _ in range(6))
    for h in helpers:
        h.join()
    latencies, failures, peak_rss = got["latencies"], [got["failures"]], [got["peak_rss"]]
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
    print(f"probe answers over 50 ms (seconds into the attack, ms): {got['slow'][:20]}")
    welcomes = sorted(got["welcomes"])
    print(f"newcomers: welcomed={len(welcomes)} failures={got['welcome_failures']} "
          f"max-wait={welcomes[-1] * 1000 if welcomes else float('nan'):.1f}ms "
          f"waits={' '.join(f'{w * 1000:.0f}' for w in got['welcomes'][:12])}ms")
    print(f"server: peak-rss={peak_rss[0] // 1024} MiB")
    answered = failures[0] == 0 and got["welcome_failures"] == 0 and latencies
    ok = answered and latencies[-1] < 0.1
    print("verdict: " + ("every probe answered within 100 ms" if ok
                         else "every probe answered, SOME OVER 100 ms" if answered
                         else "SOME PROBE WENT UNANSWERED"))
    sys.exit(0 if ok or (answered and not a.judge_latency) else 1)

if __name__ == "__main__":
    main()
