#!/usr/bin/env python3
"""Side-by-side timing of `tekigo catalog import` and `trestle import` on the same NIST files.

Usage (from the repository root, after `swift build -c release` and scripts/validators.sh):
    python3 scripts/bench-import.py [--runs 5] [--tekigo .build/release/tekigo] [--shared ../shared]
Each run starts a new process, as a user would; the median wall time is reported.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

FILES = [
    ("SP 800-53 rev5 MODERATE resolved catalog (3.9 MB)",
     "data/nist/sp800-53/rev5/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"),
    ("SP 800-171 rev3 catalog", "data/nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json"),
]

def timed(cmd, cwd=None):
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-800:]}")
    return elapsed

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tekigo", default=".build/release/tekigo")
    ap.add_argument("--trestle", default=".venv-validators/bin/trestle")
    ap.add_argument("--shared", default="../shared")
    a = ap.parse_args()
    tekigo, trestle = os.path.abspath(a.tekigo), os.path.abspath(a.trestle)
    print(f"{'file':52} {'tekigo':>10} {'trestle':>10} {'ratio':>7}")
    for label, rel in FILES:
        path = os.path.abspath(os.path.join(a.shared, rel))
        ours, theirs = [], []
        for i in range(a.runs):
            data = tempfile.mkdtemp(prefix="tekigo-bench-")
            ours.append(timed([tekigo, "catalog", "import", path, "--data-dir", data]))
            shutil.rmtree(data)
            ws = tempfile.mkdtemp(prefix="trestle-bench-")
            timed([trestle, "init"], cwd=ws)
            theirs.append(timed([trestle, "import", "-f", path, "-o", f"c{i}"], cwd=ws))
            shutil.rmtree(ws)
        t, r = statistics.median(ours), statistics.median(theirs)
        print(f"{label:52} {t*1000:8.0f}ms {r*1000:8.0f}ms {r/t:6.1f}x")

if __name__ == "__main__":
    main()
