#!/usr/bin/env python3
"""Web page benchmark on loopback: server time and weight of the dashboard and assessment pages with a full
320-objective SP 800-171 rev2 assessment (every objective answered, with rationales, evidence links, partial-credit
answers and POA&M items with milestones, so every chart and table is full).

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-pages.py [--bin .build/release/tekigo] [--database-url postgres://…] [--requests 300] [--demo-suppliers 10000]
Starts its own server on 127.0.0.1 with a fresh data directory and stops it at the end. Standard library only.
Prints, per page, the server time (from the server's request log: `duration_ms`, from the request reaching the
router to the response leaving the handlers) at p50/p95/p99, the round trip a keep-alive client sees at p50, and
the page's weight: the HTML plus the stylesheet and script it loads (there are no images, fonts or other assets).
"""
import argparse, importlib.util, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.parse

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_server", os.path.join(here, "bench-server.py"))
bs = importlib.util.module_from_spec(spec); spec.loader.exec_module(bs)


def form_post(cl, path, fields):
    body = urllib.parse.urlencode(fields).encode()
    h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "tekigo_session=" + cl.cookie}
    cl.conn.request("POST", path, body=body, headers=h)
    r = cl.conn.getresponse(); r.read()
    return r.status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--database-url")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--perf", help="record the server with `perf` while this page is measured (e.g. dashboard)")
    ap.add_argument("--demo-suppliers", type=int, default=0,
                    help="also load `tekigo demo --suppliers N` first and measure the prime's supply-chain pages (e.g. 10000)")
    a = ap.parse_args()
    data = tempfile.mkdtemp(prefix="tekigo-bench-pages-")
    port = bs.free_port()
    cmd = [os.path.abspath(a.bin), "serve", "--port", str(port), "--data-dir", data, "--reminder-interval", "0"]
    if a.database_url: cmd += ["--database-url", a.database_url]
    db_args = ["--data-dir", data] + (["--database-url", a.database_url] if a.database_url else [])
    if a.demo_suppliers:
        # The demo loads only into a database without organizations: before the server's setup makes one.
        subprocess.run([os.path.abspath(a.bin), "demo", "--suppliers", str(a.demo_suppliers)] + db_args, check=True,
                       stdout=subprocess.DEVNULL)
    log_path = os.path.join(data, "server-log.jsonl")
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        token = bs.wait_until_serving(proc, port)
        cl = bs.Client(port)
        pw = "correct horse battery staple 7"
        assert cl.call("POST", "/api/v1/setup", {"token": token, "email": "bench@example.jp", "password": pw,
                                                  "displayName": "ベンチ 太郎", "organization": "株式会社ベンチ精機"})[0] == 201
        s, _, b = cl.call("POST", "/api/v1/session", {"email": "bench@example.jp", "password": pw}); cl.csrf = b["csrfToken"]
        secret = cl.call("POST", "/api/v1/me/mfa")[2]["secret"]
        cl.call("POST", "/api/v1/me/mfa/confirm", {"code": bs.totp(secret)})
        org = cl.call("GET", "/api/v1/organizations")[2]["items"][0]["id"]
        sysid = cl.call("POST", f"/api/v1/organizations/{org}/systems", {"name": "生産管理システム",
                                                                          "informationTypes": ["図面", "仕様書"]})[2]["id"]
        aid = cl.call("POST", f"/api/v1/organizations/{org}/assessments", {"systemId": sysid, "date": "2026-11-27"})[2]["id"]
        base = f"/api/v1/organizations/{org}/assessments/{aid}"
        findings = cl.call("GET", f"{base}/findings")[2]["items"]
        unmet = set()
        for i, f in enumerate(findings):
            status = "not-met" if i % 11 == 0 else ("not-applicable" if i % 17 == 0 else "met")
            if status == "not-met": unmet.add(f["requirement"])
            st = cl.call("PUT", f"{base}/findings/{urllib.parse.quote(f['objective'], safe='')}",
                         {"status": status, "rationale": "規程と設定画面で確認した。担当者への聞き取りで運用を確認。",
                          "evidence": [{"location": f"https://intranet.example.jp/evidence/{i}"}]})[0]
            assert st == 200, st
        page_base = f"/o/{org}/assessments/{aid}"
        for j, req in enumerate(sorted(unmet)):
            assert form_post(cl, f"{page_base}/poam/{req}", {
                "csrf": cl.csrf, "version": "0", "weakness": f"{req} の評価目標の一部が未実装", "status": "open" if j % 3 else "in-progress",
                "owner": "情報システム課", "resources": "外部委託 20 人日", "scheduled": f"2027-0{1 + j % 6}-28",
                "m0_description": "設計と手順書の作成", "m0_due": "2026-12-20", "m1_description": "導入と確認", "m1_due": f"2027-0{1 + j % 6}-20",
            }) == 303
        pages = {
            "dashboard": f"/o/{org}",
            "assessment overview": page_base,
            "objective editor (3.1.1)": f"{page_base}/requirements/3.1.1",
            "POA&M board": f"{page_base}/poam",
        }
        if a.demo_suppliers:
            # The bench user owns the demo's Japanese prime (as the README's demo steps do with `tekigo admin grant`).
            subprocess.run([os.path.abspath(a.bin), "admin", "grant", "--email", "bench@example.jp", "--org", "demo-prime-jp"] + db_args,
                           check=True, stdout=subprocess.DEVNULL)
            prime = "/o/demo-prime-jp/supply-chain"
            first = cl.call("GET", "/api/v1/organizations/demo-prime-jp/rollup/needs-action?limit=1")[2]["items"][0]["organizationId"]
            pages.update({
                "supply-chain roll-up": prime,
                "roll-up, tier 3 missing, p2": f"{prime}?tier=3&status=missing&offset=100",
                "needs action": f"{prime}/needs-action",
                "supplier detail": f"{prime}/suppliers/{first}",
            })
        css = len(cl.call("GET", "/static/app.css", parse=False)[2])
        js = len(cl.call("GET", "/static/app.js", parse=False)[2])
        print(f"server {a.bin}, database {'PostgreSQL' if a.database_url else 'SQLite'}, {len(findings)} objectives, "
              f"{len(unmet)} POA&M items, {a.requests} requests per page after 20 warm-up requests")
        print(f"{'page':28} {'server p50':>10} {'p95':>6} {'p99':>6} {'client p50':>11} {'HTML KB':>8} {'total KB':>9}  (times in ms)")
        for name, path in pages.items():
            for _ in range(20):
                cl.call("GET", path, parse=False)
            log.flush()
            skip = sum(1 for _ in open(log_path))
            lat = []
            size = 0
            perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(proc.pid), "-o", "/tmp/tekigo-pages.perf"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if a.perf and name.startswith(a.perf) else None
            if perf: time.sleep(0.5)
            for _ in range(a.requests):
                t = time.perf_counter(); st, _, body = cl.call("GET", path, parse=False); lat.append(time.perf_counter() - t)
                assert st == 200, (name, st)
                size = len(body)
            if perf: perf.send_signal(signal.SIGINT); perf.wait()
            time.sleep(0.2)
            server = []
            for line in list(open(log_path))[skip:]:
                try: entry = json.loads(line)
                except ValueError: continue
                if entry.get("msg") == "request" and entry.get("path") == path.split("?")[0]:
                    server.append(float(entry["duration_ms"]))
            assert len(server) >= a.requests * 0.9, (name, len(server))
            print(f"{name:28} {bs.percentile(server, .5):10.2f} {bs.percentile(server, .95):6.2f} {bs.percentile(server, .99):6.2f} "
                  f"{bs.percentile(lat, .5)*1000:11.2f} {size/1024:8.1f} {(size + css + js)/1024:9.1f}")
    finally:
        bs.stop_server(proc, data)


if __name__ == "__main__":
    main()
