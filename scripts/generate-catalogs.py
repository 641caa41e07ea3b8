#!/usr/bin/env python3
"""Builds Tekigo's built-in catalogs (Sources/TekigoCore/Resources/catalogs/*.json).

Inputs:
  * catalog-src/*.json  -- what we write ourselves: short titles (en/ja), CSF 2.0 mappings with rationale,
                           our review of rev2 -> rev3 successors, the few rev2 -> SP 800-53 rev5 links NIST's
                           data does not give, and the stated reasons for six withdrawn rev3 numbers.
  * ../shared/data/nist -- NIST's published OSCAL files, read for FACTS only: ids, structure, withdrawal
                           dispositions, ODP ids, determination-statement ids and SP 800-53 source links;
                           SP 800-53 rev5's withdrawal links (rev4 ids -> rev5); and the rev2 Appendix D control
                           ids (a transcription, shared/data/nist/sp800-171/rev2, see SOURCES.md).
                           No requirement wording is copied.
  * the fact lists below, transcribed from shared/reference/standards-facts.md (DoD Assessment Methodology
    v1.2.1 Annex A and 32 CFR 170.24(c)(2)); never from third-party JSON.

Run from the repository root:  python3 scripts/generate-catalogs.py [--shared ../shared]
The output is committed; the Swift tests check it against NIST's files again.
"""
import argparse, json, os, re, sys
from collections import OrderedDict

# --- facts: DoD Assessment Methodology v1.2.1 §5(d) / Annex A = 32 CFR 170.24(c)(2)(i)(B)(1)-(5) -------------
SPRS_5 = "3.1.1 3.1.2 3.2.1 3.2.2 3.3.1 3.4.1 3.4.2 3.5.1 3.5.2 3.6.1 3.6.2 3.7.2 3.8.3 3.9.2 3.10.1 3.10.2 3.12.1 3.12.3 3.13.1 3.13.2 3.14.1 3.14.2 3.14.3 3.1.12 3.1.13 3.1.16 3.1.17 3.1.18 3.3.5 3.4.5 3.4.6 3.4.7 3.4.8 3.5.10 3.7.5 3.8.7 3.11.2 3.13.5 3.13.6 3.13.15 3.14.4 3.14.6".split()
SPRS_3 = "3.3.2 3.7.1 3.8.1 3.8.2 3.9.1 3.11.1 3.12.2 3.1.5 3.1.19 3.7.4 3.8.8 3.13.8 3.14.5 3.14.7".split()
SPRS_PARTIAL = {"3.5.3": "mfa", "3.13.11": "encryption"}  # 5 when absent, 3 when partial; the input that decides
SPRS_SSP_GATE = ["3.12.4"]                   # no value; without an SSP there is no score
NOT_PERMITTED = "3.1.12 3.1.13 3.1.16 3.1.17 3.1.18".split()  # Methodology §5(i): not permitted => no deduction
# --- facts: NIST SP 800-171 rev2 basic requirements (FIPS 200), 32 CFR 170.24(c)(2)(i)(B) ------------------------
BASIC = "3.1.1 3.1.2 3.2.1 3.2.2 3.3.1 3.3.2 3.4.1 3.4.2 3.5.1 3.5.2 3.6.1 3.6.2 3.7.1 3.7.2 3.8.1 3.8.2 3.8.3 3.9.1 3.9.2 3.10.1 3.10.2 3.11.1 3.12.1 3.12.2 3.12.3 3.13.1 3.13.2 3.14.1 3.14.2 3.14.3".split()
# --- facts: FAR 52.204-21 subset (CMMC Level 1), Methodology Annex A '*' marks -------------------------------
LEVEL1 = "3.1.1 3.1.2 3.1.20 3.1.22 3.5.1 3.5.2 3.8.3 3.10.1 3.10.3 3.10.4 3.10.5 3.13.1 3.13.5 3.14.1 3.14.2 3.14.4 3.14.5".split()
FAMILY_ABBR = {1: "AC", 2: "AT", 3: "AU", 4: "CM", 5: "IA", 6: "IR", 7: "MA", 8: "MP", 9: "PS", 10: "PE",
               11: "RA", 12: "CA", 13: "SC", 14: "SI", 15: "PL", 16: "SA", 17: "SR"}

def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)

def canon53(t):
    """'AC-02(03)' -> 'AC-2(3)' (the form SP 800-53 prints)."""
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", t)
    if not m:
        raise SystemExit(f"unexpected SP 800-53 id {t!r}")
    s = f"{m.group(1)}-{int(m.group(2))}"
    return s + (f"({int(m.group(3))})" if m.group(3) else "")

def sort_key_53(cid):
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", cid)
    return (m.group(1), int(m.group(2)), int(m.group(3) or 0))

def r2_key(rid):
    return tuple(int(x) for x in re.findall(r"\d+", rid))

def r3_id(r2):
    _, f, n = r2.split(".")
    return f"03.{int(f):02d}.{int(n):02d}"

def oscal53_id(cid):
    """'AC-2(3)' -> 'ac-2.3' (the id in NIST's SP 800-53 OSCAL catalog)."""
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", cid)
    return f"{m.group(1).lower()}-{int(m.group(2))}" + (f".{int(m.group(3))}" if m.group(3) else "")

def from_oscal53_id(oid):
    """'ac-2.3' (or a statement href '#ac-2_smt.k') -> 'AC-2(3)'."""
    m = re.fullmatch(r"#?([a-z]{2})-(\d+)(?:\.(\d+))?(?:_.*)?", oid)
    return f"{m.group(1).upper()}-{int(m.group(2))}" + (f"({int(m.group(3))})" if m.group(3) else "")

def walk(ctls):
    for c in ctls:
        yield c
        yield from walk(c.get("controls", []))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join("..", "shared"))
    a = ap.parse_args()
    nist = os.path.join(a.shared, "data", "nist")
    out_dir = os.path.join("Sources", "TekigoCore", "Resources", "catalogs")
    src = "catalog-src"
    t2 = load(os.path.join(src, "sp800-171r2-titles.json"))
    t3 = load(os.path.join(src, "sp800-171r3-titles.json"))
    t53 = load(os.path.join(src, "sp800-53r5-titles.json"))
    csf = load(os.path.join(src, "csf2.json"))
    csfmap = load(os.path.join(src, "csf2-mappings.json"))
    extra = load(os.path.join(src, "sp800-171r2-to-sp800-53r5-authored.json"))
    reviewed = load(os.path.join(src, "sp800-171r2-to-sp800-171r3-reviewed.json"))["requirements"]
    reasons = load(os.path.join(src, "sp800-171r3-withdrawal-reasons.json"))["reasons"]

    # ---------------- rev3 facts from NIST's OSCAL catalog ----------------
    r3cat = load(os.path.join(nist, "sp800-171", "rev3", "NIST_SP800-171_rev3_catalog.json"))["catalog"]
    res = {r["uuid"]: r for r in r3cat["back-matter"]["resources"]}
    r3_active, r3_withdrawn = OrderedDict(), OrderedDict()
    r3_family_ids = set()
    for g in r3cat["groups"]:
        fam = g["id"].replace("SP_800_171_", "")
        r3_family_ids.add(fam)
        for c in g.get("controls", []):
            if c.get("class") != "requirement":
                continue
            rid = c["id"].replace("SP_800_171_", "")
            props = {p["name"]: p["value"] for p in c.get("props", [])}
            if props.get("status") == "withdrawn":
                inc = [l["href"] for l in c.get("links", []) if l["rel"] == "incorporated_into"]
                adr = [l["href"] for l in c.get("links", []) if l["rel"] == "addressed_by"]
                r3_withdrawn[rid] = OrderedDict(id=rid, family=fam, incorporatedInto=inc, addressedBy=adr)
                # NIST's data says where the content went; for a number that points nowhere, the publication's
                # stated reason in our words (catalog-src/sp800-171r3-withdrawal-reasons.json).
                if not inc and not adr:
                    why = reasons.get(rid)
                    assert why, f"withdrawn {rid} has no NIST link and no stated reason"
                    assert why["kind"] in ("consistency-with-sp800-53", "recategorized-nco", "technology-specific"), why
                    r3_withdrawn[rid]["reason"] = OrderedDict(kind=why["kind"], text={"en": why["en"], "ja": why["ja"]},
                                                              provenance="tekigo-authored", source=why["source"])
                else:
                    assert rid not in reasons, f"{rid} has NIST links; a reason of ours would compete with them"
                continue
            sources = []
            for l in c.get("links", []):
                if l["rel"] != "reference":
                    continue
                title = res[l["href"].lstrip("#")].get("title", "")
                if re.fullmatch(r"[A-Z]{2}-\d+(\(\d+\))?", title):
                    sources.append(canon53(title))
            odps = [p["id"] for p in c.get("params", [])]
            objectives = [p["id"].replace("assessment-objective_DS-", "")
                          for p in c.get("parts", []) if p.get("name") == "assessment-objective"]
            r3_active[rid] = {"id": rid, "family": fam, "sources": sources, "odps": odps, "objectives": objectives}
    r3_sorted = sorted(r3_active, key=r2_key)
    assert len(r3_active) == 97 and len(r3_withdrawn) == 33, (len(r3_active), len(r3_withdrawn))
    assert set(reasons) <= set(r3_withdrawn), f"reasons for unknown ids: {sorted(set(reasons) - set(r3_withdrawn))}"
    missing = set(r3_active) ^ set(t3["requirements"])
    assert not missing, f"rev3 titles do not match NIST ids: {sorted(missing)}"

    rev3 = OrderedDict(
        id="sp800-171r3",
        name={"en": "NIST SP 800-171 Revision 3", "ja": "NIST SP 800-171 第3版"},
        version="Revision 3 (2024-05); structure from NIST OSCAL catalog "
                + r3cat["metadata"].get("version", ""),
        families=[{"id": f, "abbr": t3["families"][f]["abbr"],
                   "title": {"en": t3["families"][f]["en"], "ja": t3["families"][f]["ja"]}}
                  for f in sorted(r3_family_ids, key=r2_key)],
        requirements=[OrderedDict(id=r, family=r3_active[r]["family"],
                                  title={"en": t3["requirements"][r]["en"], "ja": t3["requirements"][r]["ja"]},
                                  sp80053Sources=r3_active[r]["sources"], odps=r3_active[r]["odps"],
                                  objectives=r3_active[r]["objectives"]) for r in r3_sorted],
        withdrawn=[r3_withdrawn[w] for w in sorted(r3_withdrawn, key=r2_key)],
    )

    # ---------------- rev2 ----------------
    r2x = load(os.path.join(nist, "sp800-171", "rev2", "sp800-171r2_requirements_cprt-extract.json"))
    objx = load(os.path.join(nist, "sp800-171", "rev2", "sp800-171a_objectives_cprt-extract.json"))
    objectives = OrderedDict()
    for req in objx["requirements"]:
        rid = req["id"]
        objectives[rid] = [o["id"] for o in req.get("objectives", req.get("determinations", []))]
    r2ids = [r["id"] for r in r2x["requirements"]]
    assert len(r2ids) == 110
    missing = set(r2ids) ^ set(t2["requirements"])
    assert not missing, f"rev2 titles do not match ids: {sorted(missing)}"
    one_point = [r for r in r2ids if r not in SPRS_5 + SPRS_3 + list(SPRS_PARTIAL) + SPRS_SSP_GATE]
    assert len(one_point) == 51, len(one_point)
    reqs2 = []
    for rid in sorted(r2ids, key=r2_key):
        fam_n = int(rid.split(".")[1])
        abbr = FAMILY_ABBR[fam_n]
        if rid in SPRS_5:
            sprs = {"value": 5, "rule": "not-permitted-allowed" if rid in NOT_PERMITTED else "standard"}
        elif rid in SPRS_3:
            sprs = {"value": 3, "rule": "standard"}
        elif rid in SPRS_PARTIAL:
            sprs = {"value": 5, "partialValue": 3, "rule": "partial-credit", "partialInput": SPRS_PARTIAL[rid]}
        elif rid in SPRS_SSP_GATE:
            sprs = {"value": 0, "rule": "ssp-gate"}
        else:
            sprs = {"value": 1, "rule": "standard"}
        reqs2.append(OrderedDict(
            id=rid, family=f"3.{fam_n}",
            title={"en": t2["requirements"][rid]["en"], "ja": t2["requirements"][rid]["ja"]},
            kind="basic" if rid in BASIC else "derived",
            cmmcId=f"{abbr}.L2-{rid}", cmmcLevel1=rid in LEVEL1,
            sprs=sprs, objectives=objectives[rid]))
    assert sum(len(r["objectives"]) for r in reqs2) == 320
    rev2 = OrderedDict(
        id="sp800-171r2",
        name={"en": "NIST SP 800-171 Revision 2 with SP 800-171A", "ja": "NIST SP 800-171 第2版（SP 800-171A 評価目標付き）"},
        version="Revision 2 (2020-02, errata 2021-01); SP 800-171A (2018-06); DoD Assessment Methodology v1.2.1",
        families=[{"id": f"3.{n}", "abbr": FAMILY_ABBR[n],
                   "title": {"en": t2["families"][f"3.{n}"]["en"], "ja": t2["families"][f"3.{n}"]["ja"]}}
                  for n in range(1, 15)],
        requirements=reqs2,
    )

    # ---------------- SP 800-53 rev5 (the controls 800-171 cites) ----------------
    c53 = load(os.path.join(nist, "sp800-53", "rev5", "NIST_SP-800-53_rev5.0.1_catalog_2021-06-08.json"))["catalog"]
    oscal53 = {}
    for g in c53["groups"]:
        for c in walk(g.get("controls", [])):
            oscal53[c["id"]] = c
    controls53 = {}
    for raw, t in t53["controls"].items():
        cid = canon53(raw)
        controls53[cid] = {"id": cid, "family": cid[:2], "title": {"en": t["en"], "ja": t["ja"]}}
    for cid in controls53:
        m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", cid)
        oid = f"{m.group(1).lower()}-{int(m.group(2))}" + (f".{int(m.group(3))}" if m.group(3) else "")
        oc = oscal53.get(oid)
        assert oc is not None, f"{cid} not in NIST SP 800-53 rev5 catalog"
        if any(p["name"] == "status" and p["value"] == "withdrawn" for p in oc.get("props", [])):
            controls53[cid]["withdrawn"] = True
    sp53 = OrderedDict(
        id="sp800-53r5",
        name={"en": "NIST SP 800-53 Revision 5 (controls cited by SP 800-171)",
              "ja": "NIST SP 800-53 第5版（SP 800-171 が参照する管理策）"},
        version="Revision 5; import NIST's OSCAL catalog for all controls and official wording",
        families=[{"id": f, "abbr": f, "title": {"en": v["en"], "ja": v["ja"]}} for f, v in t53["families"].items()],
        requirements=[controls53[c] for c in sorted(controls53, key=sort_key_53)],
    )

    # ---------------- CSF 2.0 ----------------
    csf2 = OrderedDict(
        id="csf2", name={"en": "NIST Cybersecurity Framework 2.0", "ja": "NIST サイバーセキュリティフレームワーク 2.0"},
        version="2.0 (2024-02)",
        functions=[{"id": f["id"], "title": {"en": f["en"], "ja": f["ja"]}} for f in csf["functions"]],
        categories=[{"id": c["id"], "function": c["function"], "title": {"en": c["en"], "ja": c["ja"]}}
                    for c in csf["categories"]],
        subcategories=[{"id": s["id"], "category": s["category"], "title": {"en": s["en"], "ja": s["ja"]}}
                       for s in csf["subcategories"]],
    )

    # ---------------- crosswalks ----------------
    edges = []
    def edge(fc, fi, tc, ti, rel, prov, rationale=None, via=None):
        e = OrderedDict([("from", {"catalog": fc, "id": fi}), ("to", {"catalog": tc, "id": ti}),
                         ("relation", rel), ("provenance", prov)])
        if rationale: e["rationale"] = rationale
        if via: e["via"] = via
        edges.append(e)
    for r in r3_sorted:
        for s in r3_active[r]["sources"]:
            edge("sp800-171r3", r, "sp800-53r5", s, "intersect", "nist-official",
                 "NIST lists this control as a source of the requirement")
    # rev2 -> rev3 and rev2 -> SP 800-53 rev5 are derived from the SP 800-53 controls each side cites: rev2's
    # Appendix D (rev4 ids, carried to rev5 through NIST's rev5 withdrawal links) and rev3's source links. An
    # unchanged number is not evidence (3.3.3 moved to 03.03.01); catalog-src/sp800-171r2-to-sp800-171r3-reviewed.json
    # decides every pair that the shared controls alone do not settle.
    def rev5_of(cid):
        """A rev4 control id -> [(rev5 id, how it got there or None)], through NIST's rev5 withdrawal links."""
        oc = oscal53.get(oscal53_id(cid))
        assert oc is not None, f"Appendix D control {cid} is not in NIST's SP 800-53 catalog"
        if not any(p["name"] == "status" and p["value"] == "withdrawn" for p in oc.get("props", [])):
            return [(cid, None)]
        out = []
        for l in oc.get("links", []):
            if l["rel"] in ("incorporated-into", "moved-to"):
                verb = "incorporated it into" if l["rel"] == "incorporated-into" else "moved it to"
                for t, _ in rev5_of(from_oscal53_id(l["href"])):
                    out.append((t, f"SP 800-53 rev5 {verb} {t}"))
        return out  # withdrawn without a successor (SC-19): nothing in rev5
    appx_rows = load(os.path.join(nist, "sp800-171", "rev2", "sp800-171r2_to_sp800-53r4_mapping_community.json"))
    appendix_d = OrderedDict()   # rev2 id -> [(rev4 id, rev5 id, note)]
    for row in appx_rows["controls"]:
        ids = [canon53(t.strip().upper()) for t in (row.get("mapped_controls") or "").split(",")
               if t.strip() and t.strip() != "None"]
        appendix_d[row["control_id"]] = [(c4, c5, note) for c4 in ids for c5, note in rev5_of(c4)]
    assert set(appendix_d) == set(r2ids)
    def shared(rid, t):
        return sorted({c5 for _, c5, _ in appendix_d[rid]} & set(r3_active[t]["sources"]), key=sort_key_53)

    r2_to_r3 = OrderedDict()
    for rid in sorted(r2ids, key=r2_key):
        same = r3_id(rid)
        own5 = {c5 for _, c5, _ in appendix_d[rid]}
        overlap = [t for t in r3_sorted if own5 & set(r3_active[t]["sources"])]
        w = r3_withdrawn.get(same)
        nist_links = ([(t, "incorporated") for t in w["incorporatedInto"]] + [(t, "addressed") for t in w["addressedBy"]]
                      if w else [])
        nist_targets = [t for t, _ in nist_links]
        candidates = set(overlap) | set(nist_targets) | ({same} if same in r3_active else set())
        links = []
        if rid in reviewed:
            rv = reviewed[rid]
            linked = [l["to"] for l in rv["links"]]
            refused = [n["to"] for n in rv["notLinked"]]
            assert len(set(linked + refused)) == len(linked + refused), f"{rid}: a rev3 id is decided twice"
            undecided = candidates - set(linked) - set(refused)
            assert not undecided, f"{rid}: candidates {sorted(undecided)} are neither linked nor refused"
            assert set(nist_targets) <= set(linked), f"{rid}: NIST's withdrawal links must stay"
            for t in linked + refused:
                assert t in r3_active, f"{rid}: {t} is not an active rev3 requirement"
            for n in rv["notLinked"]:
                assert n["reason"], f"{rid} -> {n['to']}: no reason"
            for l in rv["links"]:
                assert l["relation"] in ("subset", "intersect") and l["rationale"], (rid, l)
                if (l["to"], "addressed") in nist_links:
                    assert l["relation"] == "intersect", f"{rid}: addressed-by is an overlap"
                links.append((l["to"], l["relation"], l["rationale"]))
        elif w:
            assert nist_links, f"{rid}: withdrawn without NIST links, so it needs a reviewed entry"
            assert candidates == set(nist_targets), f"{rid}: review {sorted(candidates - set(nist_targets))}"
            incorporated = [t for t, k in nist_links if k == "incorporated"]
            for t, k in nist_links:
                if k == "addressed":
                    links.append((t, "intersect", f"withdrawn in rev3, addressed by {t}"))
                elif len(incorporated) == 1:
                    links.append((t, "subset", f"withdrawn in rev3, incorporated into {t}"))
                else:
                    # Split across several rev3 requirements: contained in none of them alone.
                    links.append((t, "intersect", f"withdrawn in rev3 and split: incorporated into "
                                                  f"{' and '.join(incorporated)}; this one takes part of it"))
        else:
            assert candidates == {same} and same in overlap, \
                f"{rid}: same number {same} without a shared control, or other candidates {sorted(candidates - {same})}"
            links.append((same, "intersect", "same number in rev3; both cite SP 800-53 " + ", ".join(shared(rid, same))))
        r2_to_r3[rid] = links
    assert set(reviewed) <= set(r2ids), f"reviewed entries for unknown ids: {sorted(set(reviewed) - set(r2ids))}"

    authored = extra["links"]
    refused53 = extra["notFromAppendixD"]
    assert set(authored) | set(refused53) <= set(r2ids)
    for rid in sorted(r2ids, key=r2_key):
        links = r2_to_r3[rid]
        for t, rel, why in links:
            edge("sp800-171r2", rid, "sp800-171r3", t, rel, "derived", why)
        successors = [t for t, _, _ in links]
        cited_by_successor = {c for t in successors for c in r3_active[t]["sources"]}
        out = OrderedDict()   # rev5 id -> edge arguments; first reason wins, authored replaces
        refused_here = {n["control"]: n["reason"] for n in refused53.get(rid, [])}
        for c4, c5, note in appendix_d[rid]:
            if c4 in refused_here or c5 in refused_here or c5 in out:
                continue
            # A basic requirement shares its family's Appendix D row: keep a row control only where one of the
            # requirement's own rev3 successors cites it too.
            if rid in BASIC and c5 not in cited_by_successor:
                continue
            why = f"SP 800-171r2 Appendix D cites {c4}" + (f"; {note}" if note else "")
            out[c5] = (c5, "intersect", "derived", why, None)
        for c in refused_here:
            assert any(c in (c4, c5) for c4, c5, _ in appendix_d[rid]), f"{rid}: {c} is not among its Appendix D controls"
            assert rid not in BASIC, f"{rid}: basic rows are apportioned by the rev3 review, not here"
        for t in successors:
            for c in r3_active[t]["sources"]:
                if c not in out:
                    out[c] = (c, "intersect", "derived", f"source control of rev3 {t}", [{"catalog": "sp800-171r3", "id": t}])
        for a2 in authored.get(rid, []):
            c = canon53(a2["control"])
            assert a2["rationale"] and a2["relation"] in ("subset", "superset", "intersect", "equal"), (rid, a2)
            out[c] = (c, a2["relation"], "tekigo-authored", a2["rationale"], None)
        assert out, f"{rid} has no SP 800-53 rev5 link"
        for c, rel, prov, why, via in out.values():
            assert c in controls53, f"{rid} -> {c}: add the control to catalog-src/sp800-53r5-titles.json"
            edge("sp800-171r2", rid, "sp800-53r5", c, rel, prov, why, via=via)
    for cat_id, table in (("sp800-171r2", csfmap["sp800-171r2"]), ("sp800-171r3", csfmap["sp800-171r3"])):
        ids = r2ids if cat_id == "sp800-171r2" else list(r3_active)
        assert set(table) == set(ids), f"CSF mapping ids differ for {cat_id}"
        for rid in sorted(table, key=r2_key):
            for m in table[rid]:
                edge(cat_id, rid, "csf2", m["category"], m["relation"], "tekigo-authored", m["rationale"])
    cross = OrderedDict(edges=edges)

    os.makedirs(out_dir, exist_ok=True)
    for name, doc in (("sp800-171r2", rev2), ("sp800-171r3", rev3), ("sp800-53r5", sp53), ("csf2", csf2),
                      ("crosswalks", cross)):
        p = os.path.join(out_dir, name + ".json")
        tmp = p + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(tmp, p)
        print("wrote", p)

if __name__ == "__main__":
    main()
