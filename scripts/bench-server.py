#!/usr/bin/env python3
"""Server benchmark on loopback: latency of the assessment API, authenticated read throughput, cold start, memory.

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-server.py [--bin .build/release/tekigo] [--database-url postgres://…] [--orgs 1000]
Needs `wrk` (Debian package) for the throughput figures: /healthz, then an authenticated read, in the same run.
Starts its own server on 127.0.0.1 with a fresh data directory and stops it at the end. Standard library only.
"""
import argparse, base64, hashlib, hmac, http.client, json, os, re, shutil, signal, socket, statistics, struct
import subprocess, sys, tempfile, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def totp(secret, at=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)

class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)
        self.cookie = None; self.csrf = None; self.bearer = None

    def call(self, method, path, body=None, headers=None, parse=True):
        h = dict(headers or {})
        if self.cookie: h["Cookie"] = "tekigo_session=" + self.cookie
        if self.csrf: h["X-CSRF-Token"] = self.csrf
        if self.bearer: h["Authorization"] = "Bearer " + self.bearer
        data = None
        if body is not None:
            data = json.dumps(body).encode(); h["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse(); raw = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("tekigo_session="):
                self.cookie = v.split(";")[0].split("=", 1)[1] or None
        return r.status, dict(r.getheaders()), (json.loads(raw) if parse and raw and raw[:1] in b"{[" else raw)

def percentile(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round((len(xs) - 1) * p)))]

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1])
    return 0

def cpu_seconds(pid):
    """User + system CPU time the process has used so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def wait_until_serving(proc, port):
    """Reads the server's stdout until it listens (returning the setup token it printed, if any), then waits for
    /healthz to answer."""
    token = None
    while True:
        line = proc.stdout.readline()
        if not line: sys.exit("server exited")
        m = re.search(r"setup token: (\S+)", line)
        if m: token = m.group(1)
        if "listening on" in line: break
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", "/healthz")
            if c.getresponse().status == 200: return token
        except OSError: time.sleep(0.01)

def set_up_administrator(cl, setup_token, organization="Bench", before_sign_in=None):
    """The first account through the setup token (`bench@example.jp`, owner of `organization`), signed in with its
    authenticator enrolled, so `cl` carries a session and its CSRF token. `before_sign_in()` runs between the setup
    and the sign-in (e.g. `tekigo admin grant`, whose new membership the session then sees)."""
    pw = "correct horse battery staple 7"
    def ok(result, *expected):
        if result[0] not in expected: sys.exit(f"unexpected {result[0]}: {result[2]}")
        return result[2]
    ok(cl.call("POST", "/api/v1/setup", {"token": setup_token, "email": "bench@example.jp", "password": pw,
                                          "displayName": "Bench", "organization": organization}), 201)
    if before_sign_in: before_sign_in()
    cl.csrf = ok(cl.call("POST", "/api/v1/session", {"email": "bench@example.jp", "password": pw}), 200, 201)["csrfToken"]
    secret = ok(cl.call("POST", "/api/v1/me/mfa"), 200, 201)["secret"]
    ok(cl.call("POST", "/api/v1/me/mfa/confirm", {"code": totp(secret)}), 200, 201, 204)

def stop_server(proc, data):
    """Stops the server started by a bench script and removes its data directory."""
    proc.send_signal(signal.SIGTERM)
    try: proc.wait(10)
    except subprocess.TimeoutExpired: proc.kill()
    shutil.rmtree(data, ignore_errors=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--database-url")
    ap.add_argument("--orgs", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--perf", action="store_true", help="record the server with `perf` during the authenticated wrk run")
    ap.add_argument("--perf-findings", action="store_true",
                    help="record the server with `perf` (to /tmp/tekigo-findings.perf) while it answers the findings GETs")
    ap.add_argument("--wrk-seconds", type=int, default=10, help="length of each wrk run (/healthz, then the authenticated read)")
    ap.add_argument("--credential-cache-seconds", help="passed to tekigo serve (0: every request reads its credentials)")
    a = ap.parse_args()
    data = tempfile.mkdtemp(prefix="tekigo-bench-")
    port = free_port()
    cmd = [os.path.abspath(a.bin), "serve", "--port", str(port), "--data-dir", data]
    if a.database_url: cmd += ["--database-url", a.database_url]
    if a.credential_cache_seconds is not None: cmd += ["--credential-cache-seconds", a.credential_cache_seconds]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        token = wait_until_serving(proc, port)
        cold = time.perf_counter() - start
        cl = Client(port)
        pw = "correct horse battery staple 7"
        assert cl.call("POST", "/api/v1/setup", {"token": token, "email": "bench@example.jp", "password": pw,
                                                  "displayName": "Bench", "organization": "Bench Prime"})[0] == 201
        s, _, b = cl.call("POST", "/api/v1/session", {"email": "bench@example.jp", "password": pw}); cl.csrf = b["csrfToken"]
        secret = cl.call("POST", "/api/v1/me/mfa")[2]["secret"]
        cl.call("POST", "/api/v1/me/mfa/confirm", {"code": totp(secret)})
        org = cl.call("GET", "/api/v1/organizations")[2]["items"][0]["id"]
        sysid = cl.call("POST", f"/api/v1/organizations/{org}/systems", {"name": "Plant"})[2]["id"]
        aid = cl.call("POST", f"/api/v1/organizations/{org}/assessments", {"systemId": sysid, "date": "2026-11-27"})[2]["id"]
        base = f"/api/v1/organizations/{org}/assessments/{aid}"
        objectives = [f["objective"] for f in cl.call("GET", f"{base}/findings")[2]["items"]]
        for o in objectives:
            cl.call("PUT", f"{base}/findings/{o}", {"status": "met", "rationale": "ok"})
        lat = []
        perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(proc.pid), "-o", "/tmp/tekigo-findings.perf"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if a.perf_findings else None
        for _ in range(a.requests):
            t = time.perf_counter(); st = cl.call("GET", f"{base}/findings", parse=False)[0]; lat.append(time.perf_counter() - t); assert st == 200
        if perf: perf.send_signal(signal.SIGINT); perf.wait()
        upd = []
        for i in range(a.requests):
            o = objectives[i % len(objectives)]
            t = time.perf_counter(); st = cl.call("PUT", f"{base}/findings/{o}", {"status": "met", "rationale": f"r{i}"}, parse=False)[0]
            upd.append(time.perf_counter() - t); assert st == 200
        tok = cl.call("POST", f"/api/v1/organizations/{org}/tokens", {"name": "bench", "scope": "read"})[2]["token"]
        throughput = healthz = None
        cpu_us = {}
        if shutil.which("wrk"):
            def wrk(path, headers=()):
                args = ["wrk", "-t2", "-c32", f"-d{a.wrk_seconds}s"]
                for h in headers: args += ["-H", h]
                before = cpu_seconds(proc.pid)
                out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
                used = cpu_seconds(proc.pid) - before
                m = re.search(r"Requests/sec:\s+([\d.]+)", out); n = re.search(r"(\d+) requests in", out)
                # The server's own CPU time per request: far less moved by other work on the machine than requests/s.
                cpu_us[path] = used / int(n.group(1)) * 1e6 if n and int(n.group(1)) else None
                return float(m.group(1)) if m else None
            # The unauthenticated floor first, in the same run: the ratio is what the machine's load cannot move much.
            healthz = wrk("/healthz")
            perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(proc.pid), "-o", "/tmp/tekigo-server.perf"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if a.perf else None
            throughput = wrk(f"/api/v1/organizations/{org}/systems", [f"Authorization: Bearer {tok}"])
            if perf: perf.send_signal(signal.SIGINT); perf.wait()
        for i in range(a.orgs - 1):
            cl.call("POST", "/api/v1/organizations", {"name": f"Supplier {i:05d} 株式会社"})
        cl.call("GET", "/api/v1/organizations?limit=500")
        mem = rss_kb(proc.pid)
        print(f"cold start to /healthz:                       {cold*1000:.0f} ms")
        print(f"GET findings (110 requirements, 320 findings): p50 {percentile(lat,0.5)*1000:.2f} ms  p95 {percentile(lat,0.95)*1000:.2f} ms")
        print(f"PUT one finding:                               p50 {percentile(upd,0.5)*1000:.2f} ms  p95 {percentile(upd,0.95)*1000:.2f} ms")
        cpu = lambda path: f"  server CPU {cpu_us[path]:.0f} µs/request" if cpu_us.get(path) else ""
        print(f"/healthz (wrk, 32 conns, same run):            {healthz if healthz else 'n/a'} req/s" + cpu("/healthz"))
        print(f"authenticated JSON reads (wrk, 32 conns):      {throughput if throughput else 'n/a'} req/s"
              + (f"  ({throughput / healthz * 100:.0f} % of /healthz)" if throughput and healthz else "")
              + cpu(f"/api/v1/organizations/{org}/systems"))
        print(f"resident memory with {a.orgs} organizations:      {mem/1024:.0f} MB")
    finally:
        stop_server(proc, data)

if __name__ == "__main__":
    main()
