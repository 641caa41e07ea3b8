#!/usr/bin/env python3
"""Drives Tekigo's TAXII 2.1 server with the OASIS client (taxii2-client) and checks what it serves with the OASIS
STIX tools (stix2 parses every object, stix2-validator accepts every object). Run by
Tests/TekigoServerTests/TAXIIClientCheckTests.swift against a server it started; prints one line per check and exits
non-zero at the first failure.

Usage: taxii-client-check.py BASE_URL TOKEN API_ROOT_PATH COLLECTION_ID
"""
import json
import sys
import uuid
from datetime import datetime, timezone

import stix2
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages


def check(condition, message):
    if not condition:
        print("FAIL", message)
        sys.exit(1)
    print("ok", message)


def main():
    base, token, root_path, collection_id = sys.argv[1:5]
    # HTTP Basic: any user name, the API token as the password.
    server = Server(base + "/taxii2/", user="taxii-check", password=token)
    check(server.title == "Tekigo TAXII", "discovery: title")
    roots = [r.url for r in server.api_roots]
    check(base + root_path in roots, "discovery lists the community's API root: %s" % roots)

    root = ApiRoot(base + root_path, user="taxii-check", password=token)
    check("application/taxii+json;version=2.1" in root.versions, "API root: versions")
    ids = [c.id for c in root.collections]
    check(collection_id in ids, "collections list the collection")

    collection = Collection(base + root_path + "collections/" + collection_id + "/", user="taxii-check", password=token)
    check(collection.can_read and collection.can_write, "collection: can_read and can_write")

    # A bundle of 130 indicators and an identity, made by the OASIS library.
    now = datetime.now(timezone.utc).replace(microsecond=0)
    identity = stix2.v21.Identity(name="Example Supplier", identity_class="organization", created=now, modified=now)
    indicators = [
        stix2.v21.Indicator(
            name="Bad address %d" % i,
            pattern="[ipv4-addr:value = '203.0.113.%d']" % (i % 250),
            pattern_type="stix",
            valid_from=now,
            created=now,
            modified=now,
            created_by_ref=identity.id,
            indicator_types=["malicious-activity"],
            object_marking_refs=[stix2.v21.TLP_GREEN.id],
        )
        for i in range(130)
    ]
    bundle = stix2.v21.Bundle(objects=[identity] + indicators)
    status = collection.add_objects(bundle.serialize(), wait_for_completion=True)
    check(status.status == "complete", "add_objects: status complete")
    check(status.total_count == 131 and status.success_count == 131 and status.failure_count == 0,
          "add_objects: 131 of 131 stored (%s/%s, %s failures)" % (status.success_count, status.total_count, status.failure_count))
    again = root.get_status(status.id)
    check(again.status == "complete" and again.total_count == 131, "get_status reads the same status")

    # An updated version of one indicator: the versions endpoint then lists two.
    first = indicators[0]
    newer = stix2.v21.Indicator(id=first.id, name="Bad address 0 (confirmed)", pattern=first.pattern, pattern_type="stix",
                                valid_from=first.valid_from, created=first.created,
                                modified=datetime.fromtimestamp(now.timestamp() + 1, timezone.utc),
                                created_by_ref=identity.id, indicator_types=["malicious-activity"],
                                object_marking_refs=[stix2.v21.TLP_GREEN.id])
    collection.add_objects(stix2.v21.Bundle(objects=[newer]).serialize(), wait_for_completion=True)

    # Paging with as_pages, 50 per request: every object exactly once.
    seen = []
    pages = 0
    served = []
    for envelope in as_pages(collection.get_objects, per_request=50):
        pages += 1
        objects = envelope.get("objects", [])
        check(len(objects) <= 50, "page %d has at most 50 objects" % pages)
        seen += [o["id"] for o in objects]
        served += objects
    expected = {identity.id} | {i.id for i in indicators}
    check(len(seen) == len(set(seen)), "as_pages: no object twice (%d served)" % len(seen))
    check(set(seen) == expected, "as_pages: every object once over %d pages" % pages)
    check(pages >= 3, "as_pages followed next over %d pages" % pages)
    latest = [o for o in served if o["id"] == first.id]
    check(len(latest) == 1 and latest[0]["name"] == "Bad address 0 (confirmed)", "the last version by default")

    manifest = collection.get_manifest()
    records = manifest.get("objects", [])
    check(len(records) == min(100, len(expected)) and all(r["media_type"] == "application/stix+json;version=2.1" for r in records),
          "manifest: records with date_added, version and media type")
    versions = collection.object_versions(first.id)
    check(len(versions.get("versions", [])) == 2, "object_versions: two versions of the updated indicator")
    one = collection.get_object(first.id)
    check([o["id"] for o in one["objects"]] == [first.id], "get_object: the object")

    # The OASIS tools accept everything served.
    options = ValidationOptions(version="2.1", strict=False)
    for o in served:
        parsed = stix2.parse(json.dumps(o), allow_custom=True, version="2.1")
        if parsed.id != o["id"]:
            check(False, "stix2.parse read %s" % o["id"])
        results = validate_instance(o, options)
        if not results.is_valid:
            print(json.dumps(o))
            for e in results.errors:
                print("  ", e)
            check(False, "stix2-validator accepts %s" % o["id"])
    check(True, "stix2.parse and stix2-validator accept all %d objects served" % len(served))
    print("all checks passed")


if __name__ == "__main__":
    main()
