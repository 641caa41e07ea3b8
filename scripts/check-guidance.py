#!/usr/bin/env python3
"""Checks the built-in plain-language guidance (Sources/TekigoCore/Resources/guidance/<catalog>/<family>.json).

An author's quick check while writing; the Swift suite (GuidanceCoverageTests, GuidanceOriginalityTests) is the one
that gates a change. Usage: python3 scripts/check-guidance.py [FILE ...]   (no file: every guidance file)

It fails when a requirement or (rev2) objective of the file's family is missing or has an empty ja/en text, when a
Japanese text uses a variant that docs/GLOSSARY.md rejects, or when an English text shares a run of
SHARED_WORDS or more words with NIST's files in ../shared/data (our words, never NIST's sentences).
"""
import json, pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "nist" / "sp800-171"
SHARED_WORDS = 8
REJECTED = ["インシデント処理", "インシデント対応体制", "継続的監視", "是正措置計画", "消去", "ユーザー", "ユーザ", "審査",
            "リスク管理", "アクセスポイント", "管理対象非機密情報", "非機密情報", "非分類情報"]
FIELDS_ONE = ["asks", "examine", "interview", "test"]
FIELDS_MANY = {"options": 2, "evidence": 2}


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def nist_shingles():
    shingles = set()
    for path in DATA.rglob("*.json"):
        for s in strings(json.loads(path.read_text())):
            # NIST's method lists join items with ';' — each item is its own passage.
            for part in re.split(r"[;\[\]]", s):
                w = words(part)
                for i in range(len(w) - SHARED_WORDS + 1):
                    shingles.add(tuple(w[i:i + SHARED_WORDS]))
    return shingles


def catalog(cid):
    c = json.loads((ROOT / "Sources/TekigoCore/Resources/catalogs" / f"{cid}.json").read_text())
    return {r["id"]: r for r in c["requirements"]}


def check_text(where, text, problems, shingles):
    for lang in ("ja", "en"):
        v = (text or {}).get(lang, "")
        if not isinstance(v, str) or not v.strip():
            problems.append(f"{where}: {lang} text missing")
    ja, en = (text or {}).get("ja", ""), (text or {}).get("en", "")
    for variant in REJECTED:
        if variant in ja and not any(longer != variant and variant in longer and longer in ja for longer in REJECTED):
            problems.append(f"{where}: ja uses rejected variant {variant} (see docs/GLOSSARY.md)")
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", en):
        problems.append(f"{where}: en contains Japanese characters")
    if ja and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja):
        problems.append(f"{where}: ja has no Japanese")
    w = words(en)
    for i in range(len(w) - SHARED_WORDS + 1):
        if tuple(w[i:i + SHARED_WORDS]) in shingles:
            problems.append(f"{where}: en shares NIST's words: '{' '.join(w[i:i + SHARED_WORDS])}' — rewrite in our own words")
            break


def check_file(path, shingles):
    problems = []
    doc = json.loads(path.read_text())
    cid, fam = doc.get("catalog"), doc.get("family")
    entries = {k: v for k, v in catalog(cid).items() if v["family"] == fam}
    reqs = doc.get("requirements", {})
    for rid in entries:
        if rid not in reqs:
            problems.append(f"{path.name}: requirement {rid} missing")
    for rid, g in reqs.items():
        if rid not in entries:
            problems.append(f"{path.name}: {rid} is not a requirement of family {fam}")
            continue
        for f in FIELDS_ONE:
            check_text(f"{rid}.{f}", g.get(f), problems, shingles)
        for f, least in FIELDS_MANY.items():
            items = g.get(f) or []
            if len(items) < least:
                problems.append(f"{rid}.{f}: at least {least} items")
            for i, t in enumerate(items):
                check_text(f"{rid}.{f}[{i}]", t, problems, shingles)
        if cid == "sp800-171r2":
            objs = g.get("objectives") or {}
            for oid in entries[rid]["objectives"]:
                if oid not in objs:
                    problems.append(f"{rid}: objective {oid} missing")
            for oid, t in objs.items():
                if oid not in entries[rid]["objectives"]:
                    problems.append(f"{rid}: {oid} is not an objective of {rid}")
                check_text(oid, t, problems, shingles)
    return problems


def main():
    files = [pathlib.Path(a) for a in sys.argv[1:]] or sorted((ROOT / "Sources/TekigoCore/Resources/guidance").rglob("*.json"))
    shingles = nist_shingles()
    bad = 0
    for f in files:
        problems = check_file(f, shingles)
        bad += len(problems)
        print(f"{f.name}: {'ok' if not problems else str(len(problems)) + ' problem(s)'}")
        for p in problems:
            print("  " + p)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
