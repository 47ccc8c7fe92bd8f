#!/usr/bin/env python3
"""gen-osv.py COUNT PACKAGES.tsv OUT.zip: writes COUNT synthetic OSV records
(Debian:12 and other ecosystems) into an osv.dev-style ecosystem zip. The
records are made up for benchmarking, shaped like Debian's data: one in twenty
names a source package of the image (PACKAGES.tsv: name, version), mostly with
a fix older than the installed version and sometimes newer or none; the rest
name packages the image does not have."""
import json, random, sys, zipfile

count, pkgs_path, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pkgs = [l.rstrip("\n").split("\t") for l in open(pkgs_path) if l.strip()]
rnd = random.Random(7)
vectors = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
           "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for i in range(count):
        cve = "CVE-%d-%05d" % (2000 + i % 26, i)
        if i % 20 == 0 and pkgs:
            name, ver = rnd.choice(pkgs)
            fixed = ver + ("+deb12u9" if rnd.random() < 0.15 else "~0")
        else:
            name, fixed = "synthetic-pkg-%d" % (i % 20000), "1.%d-1" % (i % 50)
        events = [{"introduced": "0"}] + ([{"fixed": fixed}] if rnd.random() < 0.9 else [])
        rec = {"schema_version": "1.6.0", "id": "DEBIAN-" + cve, "modified": "2026-01-01T00:00:00Z",
               "published": "2025-01-01T00:00:00Z", "upstream": [cve],
               "summary": "synthetic advisory %d for benchmarking" % i,
               "severity": [{"type": "CVSS_V3", "score": rnd.choice(vectors)}],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": name},
                             "ranges": [{"type": "ECOSYSTEM", "events": events}],
                             "ecosystem_specific": {"urgency": rnd.choice(["low", "medium", "high"])}}],
               "references": [{"type": "ADVISORY", "url": "https://security-tracker.debian.org/tracker/" + cve}]}
        z.writestr("DEBIAN-%s.json" % cve, json.dumps(rec))
