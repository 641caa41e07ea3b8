#!/usr/bin/env python3
"""The cloud provider registry (issue 15, "Performance"): import the 4.2 MB FedRAMP Marketplace file in < 1 s (whole
process) and search p99 < 10 ms.

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-cloud.py [--bin .build/release/tekigo] [--runs 5] [--queries 2000]
                                   [--file ../shared/data/fedramp/marketplace-data-2026-04-28.json]
                                   [--database-url postgres://…empty database]

What it does:
  1. import: `tekigo cloud import-fedramp FILE` into a new data directory (or the PostgreSQL database given), as a new
     process each run, as an operator would; the first run into an empty registry and the others re-importing over
     the previous one (so the per-product comparison is timed too). Wall time of the whole process.
  2. search: one `tekigo cloud search --queries LIST` process runs many queries drawn from the file itself (package
     ids, CSP names, words of offerings, upper/lower case, full-width forms, misses) and prints each query's own
     milliseconds, measured around the search call in the process (the database read and the rows decoded; process
     start and printing excluded). p50/p95/p99/max over them.
Prints a table with the targets.
"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, tempfile, time


def run(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-800:]}")
    return elapsed, r.stdout.decode()


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def queries(products, n, rng):
    out = []
    words = [w for p in products for w in (p.get("cso") or "").split() if len(w) > 3]
    for _ in range(n):
        p = rng.choice(products)
        kind = rng.randrange(7)
        if kind == 0:
            out.append(p["id"])
        elif kind == 1:
            out.append(p["id"].lower())
        elif kind == 2:
            out.append((p.get("csp") or "x").split()[0])
        elif kind == 3:
            out.append(rng.choice(words) if words else "cloud")
        elif kind == 4:
            out.append(fullwidth((p.get("csp") or "x").split()[0]).upper())
        elif kind == 5:
            out.append(" ".join(((p.get("csp") or "x").split()[0], rng.choice(words) if words else "cloud")))
        else:
            out.append("nomatch" + str(rng.randrange(10**6)))
    return out


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, int(round(q / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--file", default="../shared/data/fedramp/marketplace-data-2026-04-28.json")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--database-url", default=None, help="an empty PostgreSQL database instead of SQLite")
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    tekigo, path = os.path.abspath(a.bin), os.path.abspath(a.file)
    if not os.path.exists(tekigo):
        sys.exit(f"{tekigo} is missing: swift build -c release")
    with open(path, "rb") as f:
        raw = f.read()
    products = json.loads(raw)["data"]["Products"]
    data_dir = tempfile.mkdtemp(prefix="tekigo-bench-cloud-")
    where = ["--database-url", a.database_url] if a.database_url else ["--data-dir", data_dir]
    try:
        first, _ = run([tekigo, "cloud", "import-fedramp", path, "--format", "json"] + where)
        again = []
        for _ in range(max(1, a.runs - 1)):
            t, out = run([tekigo, "cloud", "import-fedramp", path, "--format", "json"] + where)
            again.append(t)
        summary = json.loads(out)["record"]

        rng = random.Random(a.seed)
        qs = queries(products, a.queries, rng)
        qfile = os.path.join(data_dir, "queries.txt")
        with open(qfile, "w", encoding="utf-8") as f:
            f.write("\n".join(qs) + "\n")
        wall, out = run([tekigo, "cloud", "search", "--queries", qfile, "--format", "json"] + where)
        lines = [json.loads(l) for l in out.splitlines() if l.strip()]
        ms = [l["milliseconds"] for l in lines]
        hits = sum(1 for l in lines if l["count"] > 0)
        ids_found = sum(1 for l in lines if l["query"].upper() in l["packageIds"][:1])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"file: {path} ({len(raw) / 1e6:.1f} MB, {summary['productCount']} products, {summary['linkCount']} links)")
    print(f"engine: {'PostgreSQL' if a.database_url else 'SQLite'}; binary: {tekigo}")
    print()
    print(f"{'measure':44} {'value':>12} {'target':>10} {'ok':>4}")
    rows = [
        ("import, empty registry (whole process)", first, 1.0, "s"),
        ("import over the previous one, median", statistics.median(again), 1.0, "s"),
        ("import over the previous one, max", max(again), 1.0, "s"),
        (f"search p50 ({len(ms)} queries)", pct(ms, 50) / 1000, None, "s"),
        ("search p95", pct(ms, 95) / 1000, None, "s"),
        ("search p99", pct(ms, 99) / 1000, 0.010, "s"),
        ("search max", max(ms) / 1000, None, "s"),
    ]
    for label, value, target, _ in rows:
        shown = f"{value * 1000:.2f} ms" if value < 1 else f"{value:.3f} s"
        t = "" if target is None else (f"{target * 1000:.0f} ms" if target < 1 else f"{target:.0f} s")
        ok = "" if target is None else ("yes" if value < target else "NO")
        print(f"{label:44} {shown:>12} {t:>10} {ok:>4}")
    print()
    print(f"queries answered: {hits}/{len(lines)}; package-id queries first in their answer: {ids_found}; "
          f"search process wall time {wall:.2f} s")


if __name__ == "__main__":
    main()
