#!/usr/bin/env python3
"""TAXII 2.1 side by side (issue 14, "Performance"): Tekigo's /taxii2/ and medallion (the OASIS reference server,
memory backend) on the same machine with the same objects, over HTTP on loopback.

Targets: a collection of 100,000 objects read 100 per page following `next` end to end — Tekigo's p50 per page at
least 20x faster than medallion's; a POST of a 1,000-object bundle stored and visible in < 1 s; Tekigo's memory
< 200 MB with the 100,000 objects stored.

Usage (from the repository root, after `swift build -c release` and `bash scripts/validators.sh`):
    python3 scripts/bench-taxii.py [--objects 100000] [--bundle 1000] [--bin .build/release/tekigo]
                                   [--medallion .venv-validators/bin/medallion] [--medallion-objects 5000]

Tekigo: a fresh data directory, `tekigo serve`, an administrator with MFA through the setup token, an API token with
write scope; `tekigo community create | add-member | add-collection | grant` set up one community and collection; the
objects are POSTed in bundles of `--bundle` (each POST timed, then one GET of an object it carried: "stored and
visible"). Medallion: the same objects written into its memory backend's data file (its POST checks every stored
object for each new one, quadratic in the collection's size, so loading 100,000 through it would take hours), then
started. Medallion's first page (no `next`) filters the whole collection against its manifest, which is quadratic in
the collection's size (13 s at 2,000 objects), so it holds `--medallion-objects` (5,000 by default, the first of
Tekigo's objects) — a smaller collection than Tekigo's, in medallion's favour. Both are then read end to end with `limit=100` following `next`, one keep-alive connection each; medallion's
first page (no `next`) is reported apart from the pages after it. Standard library only; reuses bench-server.py.
"""
import argparse, base64, http.client, importlib.util, json, os, random, shutil, subprocess, sys, tempfile, time, uuid

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_server", os.path.join(here, "bench-server.py"))
bs = importlib.util.module_from_spec(spec); spec.loader.exec_module(bs)

TAXII = "application/taxii+json;version=2.1"


def ok(result, *expected):
    status, _, body = result
    if status not in expected:
        sys.exit(f"unexpected {status}: {body}")
    return body


def indicator(n, rng):
    ip = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
    return {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z", "name": f"Scanner {ip}",
            "pattern": f"[ipv4-addr:value = '{ip}']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z",
            "indicator_types": ["malicious-activity"]}


class TAXIIClient:
    def __init__(self, port, auth):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.auth = auth

    def call(self, method, path, body=None):
        h = {"Accept": TAXII, "Authorization": self.auth}
        data = None
        if body is not None:
            data = json.dumps(body).encode(); h["Content-Type"] = TAXII
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse(); raw = r.read()
        return r.status, dict(r.getheaders()), (json.loads(raw) if raw else None)


def read_all(client, path, limit):
    """Every object of the collection, `limit` per page following `next`; the latency of each page."""
    lat, seen, url = [], 0, f"{path}?limit={limit}"
    while True:
        t = time.perf_counter(); status, _, body = client.call("GET", url); lat.append(time.perf_counter() - t)
        if status != 200: sys.exit(f"GET {url}: {status} {body}")
        seen += len(body.get("objects", []))
        if not body.get("more"): return lat, seen
        url = f"{path}?limit={limit}&next={body['next']}"


def report(label, lat):
    print(f"{label:52s} p50 {bs.percentile(lat, .5)*1000:8.2f} ms  p99 {bs.percentile(lat, .99)*1000:8.2f} ms  "
          f"pages {len(lat)}  total {sum(lat):7.1f} s")


def tekigo_side(a, objects):
    binary = os.path.abspath(a.bin)
    data = tempfile.mkdtemp(prefix="tekigo-taxii-")
    port = bs.free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        token = bs.wait_until_serving(proc, port)
        cl = bs.Client(port)
        bs.set_up_administrator(cl, token, organization="Bench ISAC member")
        org = ok(cl.call("GET", "/api/v1/organizations"), 200)
        org_id = org["items"][0]["id"]
        api_token = ok(cl.call("POST", f"/api/v1/organizations/{org_id}/tokens", {"name": "taxii", "scope": "write"}), 201)["token"]
        cli = lambda *args: subprocess.run([binary, "community", *args, "--data-dir", data], check=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout
        cli("create", "--slug", "bench", "--name", "Bench ISAC")
        cli("add-member", "--community", "bench", "--org", org_id)
        collection = json.loads(cli("add-collection", "--community", "bench", "--title", "Indicators", "--alias", "indicators"))["id"]
        cli("grant", "--community", "bench", "--collection", "indicators", "--org", org_id, "--read", "--write")

        client = TAXIIClient(port, "Bearer " + api_token)
        path = f"/taxii2/bench/collections/{collection}/objects/"
        posts, visible = [], []
        t0 = time.perf_counter()
        for i in range(0, len(objects), a.bundle):
            chunk = objects[i:i + a.bundle]
            t = time.perf_counter()
            status, _, body = client.call("POST", path, {"objects": chunk})
            if status != 202: sys.exit(f"POST: {status} {body}")
            posts.append(time.perf_counter() - t)
            status, _, _ = client.call("GET", f"/taxii2/bench/collections/{collection}/objects/{chunk[-1]['id']}/")
            if status != 200: sys.exit(f"GET one: {status}")
            visible.append(time.perf_counter() - t)
        print(f"Tekigo: {len(objects)} objects POSTed in bundles of {a.bundle}:  {time.perf_counter() - t0:.1f} s")
        print(f"{'Tekigo POST of a bundle (202, status complete)':52s} p50 {bs.percentile(posts, .5)*1000:8.1f} ms  "
              f"p99 {bs.percentile(posts, .99)*1000:8.1f} ms  max {max(posts)*1000:8.1f} ms")
        print(f"{'Tekigo POST + GET of its last object (visible)':52s} p50 {bs.percentile(visible, .5)*1000:8.1f} ms  "
              f"p99 {bs.percentile(visible, .99)*1000:8.1f} ms  max {max(visible)*1000:8.1f} ms")
        lat, seen = read_all(client, path, 100)
        if seen != len(objects): sys.exit(f"Tekigo served {seen} of {len(objects)} objects")
        report("Tekigo GET objects, 100 per page following next", lat)
        print(f"Tekigo server resident memory with {len(objects)} objects:     {bs.rss_kb(proc.pid) / 1024:.0f} MB")
        return lat
    finally:
        bs.stop_server(proc, data)


def medallion_side(a, objects):
    work = tempfile.mkdtemp(prefix="medallion-")
    collection = str(uuid.uuid4())
    port = bs.free_port()
    base = f"http://127.0.0.1:{port}"
    manifest, t = [], 1_793_491_200.0
    for i, o in enumerate(objects):
        added = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t + i // 1_000_000)) + f".{i % 1_000_000:06d}Z"
        manifest.append({"id": o["id"], "date_added": added, "version": o["modified"],
                         "media_type": "application/stix+json;version=2.1"})
    db = {"/discovery": {"title": "Bench", "default": f"{base}/bench/", "api_roots": [f"{base}/bench/"]},
          "bench": {"information": {"title": "Bench", "versions": [TAXII], "max_content_length": 104857600},
                    "status": [],
                    "collections": [{"id": collection, "title": "Indicators", "can_read": True, "can_write": True,
                                     "media_types": ["application/stix+json;version=2.1"], "objects": objects, "manifest": manifest}]}}
    with open(os.path.join(work, "data.json"), "w") as f: json.dump(db, f)
    config = {"backend": {"module_class": "MemoryBackend", "module": "medallion.backends.memory_backend",
                          "filename": os.path.join(work, "data.json"), "interop_requirements": False},
              "users": {"bench": "bench-password"}, "taxii": {"max_page_size": 100}}
    with open(os.path.join(work, "config.json"), "w") as f: json.dump(config, f)
    proc = subprocess.Popen([a.medallion, "--host", "127.0.0.1", "--port", str(port), "--log-level", "ERROR",
                             os.path.join(work, "config.json")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        auth = "Basic " + base64.b64encode(b"bench:bench-password").decode()
        for _ in range(600):
            try:
                c = TAXIIClient(port, auth)
                if c.call("GET", "/taxii2/")[0] == 200: break
            except OSError: pass
            time.sleep(0.5)
        else:
            sys.exit("medallion did not start")
        client = TAXIIClient(port, auth)
        lat, seen = read_all(client, f"/bench/collections/{collection}/objects/", 100)
        if seen != len(objects): sys.exit(f"medallion served {seen} of {len(objects)} objects")
        print(f"medallion first page (no next: filters the whole collection)  {lat[0]*1000:8.1f} ms")
        report("medallion GET objects, 100 per page following next", lat[1:])
        print(f"medallion resident memory with {len(objects)} objects:        {bs.rss_kb(proc.pid) / 1024:.0f} MB")
        return lat[1:]
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/tekigo")
    ap.add_argument("--medallion", default=".venv-validators/bin/medallion")
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--bundle", type=int, default=1000)
    ap.add_argument("--medallion-objects", type=int, default=5000,
                    help="objects in medallion's collection (the first of Tekigo's); its first page filters the whole "
                         "collection against its manifest, quadratic: 13 s at 2,000 objects, hours at 100,000")
    a = ap.parse_args()
    rng = random.Random(14)
    objects = [indicator(n, rng) for n in range(a.objects)]
    tekigo = tekigo_side(a, objects)
    medallion = medallion_side(a, objects[:a.medallion_objects])
    ratio = bs.percentile(medallion, .5) / bs.percentile(tekigo, .5)
    print(f"p50 per page, medallion / Tekigo:                     {ratio:8.1f} x  (target >= 20)")


if __name__ == "__main__":
    main()
