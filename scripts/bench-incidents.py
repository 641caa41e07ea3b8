#!/usr/bin/env python3
"""Incident notices up the supply chain (issue 13, "Performance"), over HTTP on loopback.

Targets: with 10,000 suppliers and 2,000 open incidents in the prime's tree, the prime's incident view
(GET …/incident-notices) p99 < 50 ms; a report number recorded by a tier-3 supplier reaches the prime through three
tiers in < 1 s of server work (POST …/incidents/{id}/notices: sign, three deliveries each verified against the
signers' published keys, two automatic forwards, audit entries; one transaction).

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-incidents.py [--suppliers 10000] [--incidents 2000] [--reporters 20] [--requests 300]
                                       [--bin .build/release/tekigo] [--database-url postgres://…empty database]
Quick check against a debug build (a minute or two):
    python3 scripts/bench-incidents.py --bin .build/debug/tekigo --suppliers 200 --incidents 40 --reporters 4 --requests 30

What it does: `tekigo demo --suppliers N` (the 10,000-supplier tree), `tekigo serve`, an administrator with MFA through
the setup token, made owner of the demo's American prime (`demo-prime-us`, whose contracts carry DFARS
252.204-7012) with `tekigo admin grant`. Through the API it then adds a chain of its own under that prime — one
tier-1 organization, two tier-2 and `--reporters` tier-3 organizations, linked by invitation with a 7012 contract on
every link — and, for `--incidents` incidents spread over the tier-3 reporters, opens the incident on its contract,
records the DoD initial report with a unique number, and sends the notices (timed: that POST is the three-tier
propagation). Every incident stays open (not acknowledged). Finally it times the prime's view, one page of 50 (the
default) and the `state=open` filter, and one notice with its chain. Standard library only; reuses bench-server.py.
"""
import argparse, importlib.util, os, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_server", os.path.join(here, "bench-server.py"))
bs = importlib.util.module_from_spec(spec); spec.loader.exec_module(bs)

PRIME = "demo-prime-us"
CLAUSES = ["dfars-252.204-7012"]


def ok(result, *expected):
    status, _, body = result
    if status not in expected:
        sys.exit(f"unexpected {status}: {body}")
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--database-url")
    ap.add_argument("--suppliers", type=int, default=10000)
    ap.add_argument("--incidents", type=int, default=2000)
    ap.add_argument("--reporters", type=int, default=20)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--perf", help="record a `perf` profile of the server while the prime's view is timed, to this file")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    data = tempfile.mkdtemp(prefix="tekigo-incidents-")
    db = ["--database-url", a.database_url] if a.database_url else []
    t = time.perf_counter()
    subprocess.run([binary, "demo", "--suppliers", str(a.suppliers), "--data-dir", data] + db, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"demo load ({a.suppliers} suppliers):              {time.perf_counter() - t:.1f} s")
    port = bs.free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data] + db,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        token = bs.wait_until_serving(proc, port)
        cl = bs.Client(port)
        bs.set_up_administrator(cl, token, before_sign_in=lambda: subprocess.run(
            [binary, "admin", "grant", "--email", "bench@example.jp", "--org", PRIME, "--role", "owner", "--data-dir", data] + db,
            check=True, stdout=subprocess.DEVNULL))

        def org(name):
            return ok(cl.call("POST", "/api/v1/organizations", {"name": name}), 201)["id"]

        def link(customer, supplier, number):
            inv = ok(cl.call("POST", f"/api/v1/organizations/{customer}/supplier-invitations", {"note": number}), 201)
            ok(cl.call("POST", f"/api/v1/organizations/{supplier}/customer-invitations/accept", {"token": inv["token"]}), 200, 201)
            return ok(cl.call("POST", f"/api/v1/organizations/{customer}/suppliers/{supplier}/contracts",
                              {"number": number, "designation": "cui", "clauses": CLAUSES}), 201)["id"]

        t = time.perf_counter()
        tier1 = org("Bench Tier-1 Assemblies")
        link(PRIME, tier1, "BENCH-P-T1")
        tier2 = [org(f"Bench Tier-2 Machining {i}") for i in range(2)]
        for i, o in enumerate(tier2):
            link(tier1, o, f"BENCH-T1-T2-{i}")
        reporters = []
        for i in range(a.reporters):
            o = org(f"Bench Tier-3 Parts {i}")
            reporters.append((o, link(tier2[i % 2], o, f"BENCH-T2-T3-{i}")))
        print(f"bench chain under {PRIME}: 1 + 2 + {a.reporters} orgs   {time.perf_counter() - t:.1f} s")

        propagation = []
        t = time.perf_counter()
        for n in range(a.incidents):
            reporter, contract = reporters[n % len(reporters)]
            base = f"/api/v1/organizations/{reporter}/incidents"
            inc = ok(cl.call("POST", base, {"title": f"Bench incident {n}", "discoveredAt": "2026-12-01T02:13:00+09:00",
                                            "discoveredTimeZone": "Asia/Tokyo", "discoveredBy": "Bench",
                                            "contracts": [contract]}), 201)["id"]
            ok(cl.call("POST", f"{base}/{inc}/submissions", {"kind": "dod-initial", "submittedAt": "2026-12-01T08:00:00+09:00",
                                                              "channel": "bench", "reportNumber": f"BENCH-{n:06d}"}), 201)
            s = time.perf_counter()
            sent = ok(cl.call("POST", f"{base}/{inc}/notices", {}), 201)
            propagation.append(time.perf_counter() - s)
            if sent["forwarded"] != 2:
                sys.exit(f"incident {n}: expected the notice passed on twice (tier 1, prime), got {sent}")
        print(f"{a.incidents} incidents opened, reported and sent:    {time.perf_counter() - t:.1f} s")
        print(f"{'POST notices (tier 3 -> prime, 3 tiers)':44s} p50 {bs.percentile(propagation, .5)*1000:7.2f} ms  "
              f"p99 {bs.percentile(propagation, .99)*1000:7.2f} ms  max {max(propagation)*1000:7.2f} ms")

        view = f"/api/v1/organizations/{PRIME}/incident-notices"
        first = ok(cl.call("GET", f"{view}?limit=1"), 200)
        print(f"incidents in the prime's view: {first['total']}")
        some = first["items"][0]["id"]
        for label, path in [("GET incident-notices (50 per page)", view),
                            ("GET incident-notices?state=open", f"{view}?state=open"),
                            ("GET incident-notices (page 10)", f"{view}?offset=450"),
                            ("GET incident-notices/{id} (with chain)", f"{view}/{some}")]:
            lat = []
            profiler = None
            if a.perf and label.startswith("GET incident-notices (50"):
                profiler = subprocess.Popen(["perf", "record", "-F", "2000", "-g", "-o", a.perf, "-p", str(proc.pid)],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            for _ in range(a.requests):
                s = time.perf_counter(); st = cl.call("GET", path, parse=False)[0]; lat.append(time.perf_counter() - s)
                assert st == 200, (path, st)
            if profiler:
                profiler.send_signal(2); profiler.wait()
            print(f"{label:44s} p50 {bs.percentile(lat, .5)*1000:7.2f} ms  p99 {bs.percentile(lat, .99)*1000:7.2f} ms")
        print(f"server resident memory after the runs:       {bs.rss_kb(proc.pid) / 1024:.0f} MB")
    finally:
        bs.stop_server(proc, data)


if __name__ == "__main__":
    main()
