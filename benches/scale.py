#!/usr/bin/env python3
"""Measures the dashboard at scale, as a user would see it, and prints the figures.

Seeds `serve` with N synthetic alerts, times `curl -s URL/alerts | jq length` against it, runs
the release dashboard in tmux against the same server and reads its screen, CPU and memory:
time to the first full list, steady CPU and RSS while nothing changes (with the server's ETag,
and with `serve --no-etag`, like the real API), CPU while a few alerts change every poll, and
the latency of a key and of a filter keystroke. No assertions: it prints what it saw.

Usage: cargo build --release && python3 benches/scale.py [N ...]   (default 100000)
Environment: SCALE_SECONDS (steady-state sampling per case, default 60; the issue's is 600),
SCALE_RUNS (curl | jq runs, default 3). Needs tmux, curl and jq. Talks to 127.0.0.1 only.
"""

import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "blnk-alerts")
TICK = os.sysconf("SC_CLK_TCK")
SECONDS = int(os.environ.get("SCALE_SECONDS", "60"))
RUNS = int(os.environ.get("SCALE_RUNS", "3"))
SESSION = f"blnk-scale-{os.getpid()}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(n, *extra):
    port = free_port()
    proc = subprocess.Popen(
        [BIN, "serve", "--seed", str(n), "--no-auth", "--addr", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = time.monotonic()
    line = proc.stdout.readline()  # printed once the port listens, after seeding
    if "listening" not in line:
        raise SystemExit(f"serve did not start: {line}")
    return proc, f"http://127.0.0.1:{port}", time.monotonic() - started


def curl_jq(url):
    times = []
    for _ in range(RUNS):
        t = time.monotonic()
        out = subprocess.run(f"curl -s {url}/alerts | jq length", shell=True, capture_output=True, text=True)
        times.append(time.monotonic() - t)
        count = out.stdout.strip()
    return statistics.median(times), count


def serve_speed(url):
    """The server alone: a whole list to /dev/null, and a conditional GET answered 304."""
    def curl(*args):
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_total} %{size_download}", *args],
                             capture_output=True, text=True).stdout.split()
        return float(out[0]), int(out[1])
    lists = [curl(f"{url}/alerts") for _ in range(RUNS)]
    etag = ""
    with urllib.request.urlopen(f"{url}/alerts/statuses") as r:
        r.read()
    head = subprocess.run(["curl", "-sI", f"{url}/alerts"], capture_output=True, text=True).stdout
    for line in head.splitlines():
        if line.lower().startswith("etag:"):
            etag = line.split(":", 1)[1].strip()
    checks = [curl("-H", f"If-None-Match: {etag}", f"{url}/alerts")[0] for _ in range(RUNS)] if etag else [float("nan")]
    return statistics.median(t for t, _ in lists), lists[0][1], statistics.median(checks)


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(check, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        text = screen()
        if check(text):
            return time.monotonic()
        time.sleep(0.005)
    return None


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) // 1024
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) // 1024
    return ticks, rss, hwm


def dashboard(url, home):
    tmux("kill-session", "-t", SESSION)
    env = f"HOME={home} XDG_CONFIG_HOME={home} XDG_STATE_HOME={home} BLNK_API_URL={url} BLNK_API_KEY=blnk_scale"
    tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", f"env {env} {BIN} --read-only")
    for _ in range(200):
        pids = subprocess.run(["pgrep", "-f", f"{BIN} --read-only"], capture_output=True, text=True).stdout.split()
        for pid in pids:  # the binary itself, not the shell tmux started it from
            try:
                if os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(BIN):
                    return int(pid)
            except OSError:
                pass
        time.sleep(0.01)
    raise SystemExit("the dashboard did not start")


def sample(pid, seconds, during=None):
    """CPU share of one core and RSS over `seconds`; `during` runs once a second meanwhile."""
    ticks0, _, _ = proc_stat(pid)
    t0 = time.monotonic()
    rss = []
    for _ in range(seconds):
        if during:
            during()
        time.sleep(max(0.0, t0 + len(rss) + 1 - time.monotonic()))
        rss.append(proc_stat(pid)[1])
    ticks1, _, hwm = proc_stat(pid)
    cpu = (ticks1 - ticks0) / TICK / (time.monotonic() - t0) * 100
    return cpu, statistics.median(rss), hwm


def key_latency(keys, changed_by):
    times = []
    for k in keys:
        before = screen()
        t = time.monotonic()
        tmux("send-keys", "-t", SESSION, "-l", k)
        done = wait_for(lambda s: s != before and changed_by(s), 5)
        if done:
            times.append((done - t) * 1000)
    return statistics.median(times) if times else float("nan"), max(times) if times else float("nan")


def shown(n):
    return f"/{n:,} "


def measure(n):
    home = tempfile.mkdtemp(prefix="blnk-scale-")
    print(f"\n== {n:,} alerts ==")
    srv, url, ready = serve(n)
    print(f"serve --seed {n}: listening after {ready:.1f} s (seeded)")
    jq_time, count = curl_jq(url)
    print(f"curl -s URL/alerts | jq length: {jq_time:.2f} s median of {RUNS} ({count} alerts)")
    serve_list, size, not_modified = serve_speed(url)
    print(f"serve GET /alerts: {serve_list:.2f} s for {size / 1e6:.0f} MB ({size / 1e6 / serve_list:.0f} MB/s), "
          f"RSS {proc_stat(srv.pid)[1]} MB; 304: {not_modified * 1000:.2f} ms round trip (medians of {RUNS})")
    t = time.monotonic()
    pid = dashboard(url, home)
    loaded = wait_for(lambda s: shown(n) in s, 300)
    first = (loaded - t) if loaded else float("nan")
    print(f"dashboard, first full list on screen: {first:.2f} s ({first / jq_time:.2f}x curl | jq)")
    time.sleep(2)
    cpu, rss, hwm = sample(pid, SECONDS)
    print(f"nothing changing, ETag, {SECONDS} s: CPU {cpu:.2f}% of a core, RSS median {rss} MB, peak {hwm} MB")

    alerts = json.load(urllib.request.urlopen(f"{url}/alerts"))
    ids = [a["anomaly_id"] for a in alerts[:: max(1, len(alerts) // 50)]]
    del alerts
    state = {"i": 0}

    def change_some():
        if state["i"] % 5 == 0:  # a few alerts every poll (5 s)
            for k in range(3):
                aid = ids[(state["i"] + k) % len(ids)]
                body = json.dumps({"description": f"changed at {time.time()}"}).encode()
                req = urllib.request.Request(f"{url}/alerts/flag/{aid}", data=body, method="PUT",
                                             headers={"Content-Type": "application/json"})
                urllib.request.urlopen(req).read()
        state["i"] += 1

    cpu_c, rss_c, _ = sample(pid, SECONDS, change_some)
    print(f"3 alerts changing every 5 s, {SECONDS} s: CPU {cpu_c:.2f}% of a core, RSS median {rss_c} MB")
    p50, worst = key_latency("jjjjjjjjjjkkkkkkkkkk", lambda s: True)
    print(f"key (j/k) until the screen changed: p50 {p50:.0f} ms, worst {worst:.0f} ms (tmux polling adds a few ms)")
    tmux("send-keys", "-t", SESSION, "/")
    time.sleep(0.3)
    p50f, worstf = key_latency("velocity", lambda s: "filtering" not in s)
    print(f"filter keystroke until its result is on screen: p50 {p50f:.0f} ms, worst {worstf:.0f} ms")
    tmux("send-keys", "-t", SESSION, "Escape")
    time.sleep(0.3)
    tmux("send-keys", "-t", SESSION, "/")
    time.sleep(0.3)
    # The first letter of a new filter over every alert, then another while that pass goes on:
    # how long the second waits to be seen is how long the loop is held.
    tmux("send-keys", "-t", SESSION, "-l", "z")
    before = screen()
    t = time.monotonic()
    tmux("send-keys", "-t", SESSION, "-l", "q")
    moved = wait_for(lambda s: s != before and "zq" in s, 5)
    print(f"a keystroke typed while a new filter pass runs: on screen after {(moved - t) * 1000 if moved else float('nan'):.0f} ms")
    tmux("kill-session", "-t", SESSION)
    srv.terminate()
    srv.wait()

    srv, url, _ = serve(n, "--no-etag")
    pid = dashboard(url, home)
    wait_for(lambda s: shown(n) in s, 300)
    time.sleep(2)
    cpu_n, rss_n, hwm_n = sample(pid, SECONDS)
    print(f"nothing changing, no ETag, {SECONDS} s: CPU {cpu_n:.2f}% of a core, RSS median {rss_n} MB, peak {hwm_n} MB")
    tmux("kill-session", "-t", SESSION)
    srv.terminate()
    srv.wait()
    shutil.rmtree(home, ignore_errors=True)


def main():
    for tool in ["tmux", "curl", "jq"]:
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool}")
    if not os.path.exists(BIN):
        raise SystemExit("build first: cargo build --release")
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version} on {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}")
    sizes = [int(a.replace(",", "").replace("_", "")) for a in sys.argv[1:]] or [100_000]
    try:
        for n in sizes:
            measure(n)
    finally:
        tmux("kill-session", "-t", SESSION)


if __name__ == "__main__":
    main()
