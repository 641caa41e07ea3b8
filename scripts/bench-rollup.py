#!/usr/bin/env python3
"""Roll-up API latency with the demo supply chain, over HTTP on loopback.

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-rollup.py [--suppliers 10000] [--database-url postgres://…] [--requests 300]
Loads `tekigo demo` into a fresh data directory (or the given empty PostgreSQL database), starts `tekigo serve`,
creates an administrator with MFA through the setup token, makes it owner of the demo's Japanese prime with
`tekigo admin grant`, takes a read token, and measures GET …/rollup, …/rollup/needs-action and
…/supplier-attestations/{id} with a keep-alive client (p50/p99). Standard library only; reuses bench-server.py.
"""
import argparse, importlib.util, os, shutil, signal, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_server", os.path.join(here, "bench-server.py"))
bs = importlib.util.module_from_spec(spec); spec.loader.exec_module(bs)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--database-url")
    ap.add_argument("--suppliers", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=300)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    data = tempfile.mkdtemp(prefix="tekigo-rollup-")
    db = ["--database-url", a.database_url] if a.database_url else []
    t = time.perf_counter()
    subprocess.run([binary, "demo", "--suppliers", str(a.suppliers), "--data-dir", data] + db, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"demo load ({a.suppliers} suppliers):            {time.perf_counter() - t:.1f} s")
    port = bs.free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data] + db,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        token = bs.wait_until_serving(proc, port)
        cl = bs.Client(port)
        pw = "correct horse battery staple 7"
        assert cl.call("POST", "/api/v1/setup", {"token": token, "email": "bench@example.jp", "password": pw,
                                                  "displayName": "Bench", "organization": "Bench"})[0] == 201
        subprocess.run([binary, "admin", "grant", "--email", "bench@example.jp", "--org", "demo-prime-jp", "--data-dir", data] + db,
                       check=True, stdout=subprocess.DEVNULL)
        s, _, b = cl.call("POST", "/api/v1/session", {"email": "bench@example.jp", "password": pw}); cl.csrf = b["csrfToken"]
        secret = cl.call("POST", "/api/v1/me/mfa")[2]["secret"]
        cl.call("POST", "/api/v1/me/mfa/confirm", {"code": bs.totp(secret)})
        base = "/api/v1/organizations/demo-prime-jp"
        rollup = cl.call("GET", f"{base}/rollup")[2]
        tiers = ", ".join(f"tier {t['tier']}: {t['suppliers']}" for t in rollup["tiers"])
        visible = cl.call("GET", f"{base}/rollup/needs-action?limit=1")[2]["items"]
        some = visible[0]["organizationId"] if visible else None
        for label, path in [("GET rollup", f"{base}/rollup"),
                            ("GET rollup/needs-action (100)", f"{base}/rollup/needs-action"),
                            ("GET supplier-attestations/{id}", f"{base}/supplier-attestations/{some}" if some else None)]:
            if not path: continue
            lat = []
            for _ in range(a.requests):
                t = time.perf_counter(); st = cl.call("GET", path, parse=False)[0]; lat.append(time.perf_counter() - t)
                assert st in (200, 404), st
            print(f"{label:34s} p50 {bs.percentile(lat, .5)*1000:6.2f} ms  p99 {bs.percentile(lat, .99)*1000:6.2f} ms")
        print(f"prime demo-prime-jp: {tiers}")
        print(f"server resident memory after the runs:   {bs.rss_kb(proc.pid) / 1024:.0f} MB")
    finally:
        bs.stop_server(proc, data)

if __name__ == "__main__":
    main()
