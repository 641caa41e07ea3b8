#!/usr/bin/env python3
"""A provider's status change fanned out to 10,000 dependent organizations (issue 15, "Performance": < 2 s of server
work). SQLite (the data directory's tekigo.sqlite); PostgreSQL is not seeded by this script.

Usage (from the repository root, after `swift build -c release`):
    python3 scripts/bench-cloud-fanout.py [--bin .build/release/tekigo] [--orgs 10000] [--primes 100] [--runs 3]
                                          [--file ../shared/data/fedramp/marketplace-data-2026-04-28.json]

What it does:
  1. `tekigo cloud import-fedramp FILE` into a new data directory (creates the database and the registry).
  2. Seeds straight into the database (one transaction, sqlite3): ORGS organizations using one FedRAMP Authorized
     Moderate product of the file (a `cloud_services` row holding CUI each, and a webhook each, primes too), linked as suppliers of
     PRIMES primes; each supplier's current attestation names the product and consents to its prime, so every prime is
     alerted about each of its suppliers as well (ORGS user reminders + ORGS customer reminders, 2 × ORGS deliveries).
     The attestation rows are stand-ins (the fan-out reads their payload text, never their signature).
  3. Times, as whole processes, a re-import of a copy of the file with the product's status unchanged (the baseline:
     the import's own work) and one with its status set to "FedRAMP In Process" (the import plus the fan-out, which
     runs in the import's transaction: `CloudAlertFanOut.afterImport`). The fan-out's server work is the difference;
     each pair runs on a fresh copy of the seeded database so each changed import alerts everyone once.
  4. Checks the reminders and deliveries stored, and prints a table with the target.
"""
import argparse, json, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time, uuid


def run(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-800:]}")
    return elapsed, r.stdout.decode()


def fill(db, table, values):
    """INSERT with `values` and a neutral value for every other NOT NULL column (the schema grows over migrations)."""
    cols = db.execute(f"PRAGMA table_info({table})").fetchall()
    row = {}
    for _, name, typ, notnull, default, pk in cols:
        if name in values:
            row[name] = values[name]
        elif notnull and default is None:
            t = (typ or "").upper()
            row[name] = 0 if "INT" in t else (b"\x00" if "BLOB" in t or "BYTEA" in t else "")
    names = ", ".join(row)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))


def seed(path, package_id, orgs, primes):
    now = "2026-12-06T00:00:00.000Z"
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    with db:
        prime_ids = [f"bench-prime-{i:04d}" for i in range(primes)]
        for p in prime_ids:
            fill(db, "organizations", {"id": p, "name": f"Prime {p}", "cage_codes": "[]", "created_at": now, "version": 1,
                                       "time_zone": "Asia/Tokyo"})
            fill(db, "webhooks", {"id": str(uuid.uuid4()), "organization_id": p, "url": "https://hooks.example.jp/t",
                                  "sealed_secret": b"\x00" * 16, "created_at": now, "version": 1})
        for i in range(orgs):
            o = f"bench-org-{i:05d}"
            prime = prime_ids[i % primes]
            fill(db, "organizations", {"id": o, "name": f"Supplier {i}", "cage_codes": "[]", "created_at": now, "version": 1,
                                       "time_zone": "Asia/Tokyo"})
            fill(db, "cloud_services", {"id": str(uuid.uuid4()), "organization_id": o, "ref": f"fedramp:{package_id}",
                                        "name": "Files", "information": "cui", "regimes": "[]", "note": "", "created_by": "bench",
                                        "created_at": now, "updated_at": now, "version": 1})
            fill(db, "webhooks", {"id": str(uuid.uuid4()), "organization_id": o, "url": "https://hooks.example.jp/t",
                                  "sealed_secret": b"\x00" * 16, "created_at": now, "version": 1})
            fill(db, "supplier_links", {"customer_id": prime, "supplier_id": o, "created_at": now})
            key = f"bench-key-{i:05d}"
            fill(db, "organization_keys", {"key_id": key, "organization_id": o, "algorithm": "ed25519", "public_key": "",
                                           "sealed_private_key": b"\x00", "created_at": now})
            payload = json.dumps({"cloudServices": [f"fedramp:{package_id}"], "organization": {"id": o, "name": f"Supplier {i}"}},
                                 separators=(",", ":"))
            fill(db, "attestations", {"id": str(uuid.uuid4()), "organization_id": o, "key_id": key, "payload": payload,
                                      "signature": "", "issued_at": now, "expires_at": "2029-12-01", "created_at": now})
            fill(db, "consent_grants", {"supplier_id": o, "viewer_id": prime, "onward": 0, "granted_at": "2026-12-06",
                                        "granted_by": "bench"})
    db.close()


def counts(path):
    db = sqlite3.connect(path)
    r = db.execute("SELECT COUNT(*) FROM reminders WHERE kind = 'cloud-provider-standing'").fetchone()[0]
    d = db.execute("SELECT COUNT(*) FROM webhook_deliveries").fetchone()[0]
    db.close()
    return r, d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--file", default="../shared/data/fedramp/marketplace-data-2026-04-28.json")
    ap.add_argument("--orgs", type=int, default=10000)
    ap.add_argument("--primes", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    tekigo = os.path.abspath(a.bin)
    with open(a.file, encoding="utf-8") as f:
        data = json.load(f)
    products = data["data"]["Products"]
    target = next(p for p in products if p.get("status") == "FedRAMP Authorized" and p.get("impact_level") == "Moderate")
    work = tempfile.mkdtemp(prefix="tekigo-bench-fanout-")
    try:
        same = os.path.join(work, "same.json")
        changed = os.path.join(work, "changed.json")
        with open(same, "w", encoding="utf-8") as f:
            json.dump(data, f)
        target["status"] = "FedRAMP In Process"
        with open(changed, "w", encoding="utf-8") as f:
            json.dump(data, f)

        seeded = os.path.join(work, "seeded")
        os.makedirs(seeded)
        run([tekigo, "cloud", "import-fedramp", same, "--format", "json", "--data-dir", seeded])
        db_path = os.path.join(seeded, "tekigo.sqlite")
        t0 = time.perf_counter()
        seed(db_path, target["id"], a.orgs, a.primes)
        seeding = time.perf_counter() - t0

        base, fan = [], []
        stored = None
        for i in range(a.runs):
            for kind, file, out in (("same", same, base), ("changed", changed, fan)):
                d = os.path.join(work, f"run-{i}-{kind}")
                shutil.copytree(seeded, d)
                t, _ = run([tekigo, "cloud", "import-fedramp", file, "--format", "json", "--data-dir", d])
                out.append(t)
                if kind == "changed":
                    stored = counts(os.path.join(d, "tekigo.sqlite"))
                shutil.rmtree(d)
        reminders, deliveries = stored
        expected = 2 * a.orgs
        fanout = statistics.median(fan) - statistics.median(base)
        print(f"product {target['id']} used by {a.orgs} organizations under {a.primes} primes (seeded in {seeding:.1f} s)")
        print(f"{'measure':<44}{'median s':>10}{'target':>10}")
        print(f"{'re-import, status unchanged (baseline)':<44}{statistics.median(base):>10.3f}")
        print(f"{'re-import, status changed (with fan-out)':<44}{statistics.median(fan):>10.3f}")
        print(f"{'fan-out (difference)':<44}{fanout:>10.3f}{'< 2':>10}  {'PASS' if fanout < 2 else 'FAIL'}")
        print(f"reminders stored {reminders} (expected {expected}), webhook deliveries {deliveries} (expected {expected})"
              + ("" if reminders == expected and deliveries == expected else "  MISMATCH"))
        if fanout >= 2 or reminders != expected or deliveries != expected:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
