#!/usr/bin/env python3
"""merge-images.py OUT IN...: one docker-archive holding every image of the
input docker-archives (plain or gzip), as `docker save a b` writes it: the
files of all, manifest.json listing each image in order. With --oci, OUT is
an OCI layout directory instead, the inputs OCI layouts, index.json listing
each input's image with an org.opencontainers.image.ref.name of "imageN"."""
import io, json, os, shutil, sys, tarfile

if sys.argv[1] == "--oci":
    out, ins = sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    manifests = []
    for n, src in enumerate(ins):
        for b in os.listdir(os.path.join(src, "blobs", "sha256")):
            shutil.copy(os.path.join(src, "blobs", "sha256", b), os.path.join(out, "blobs", "sha256", b))
        for m in json.load(open(os.path.join(src, "index.json")))["manifests"]:
            m = dict(m)
            m["annotations"] = {"org.opencontainers.image.ref.name": "image%d" % n}
            manifests.append(m)
    json.dump({"schemaVersion": 2, "manifests": manifests}, open(os.path.join(out, "index.json"), "w"))
    open(os.path.join(out, "oci-layout"), "w").write('{"imageLayoutVersion": "1.0.0"}')
    sys.exit(0)

out, ins = sys.argv[1], sys.argv[2:]
manifest, seen = [], set()
with tarfile.open(out, "w") as t:
    for src in ins:
        with tarfile.open(src) as s:
            for m in s.getmembers():
                if m.name in ("manifest.json", "repositories"):
                    continue
                if m.name in seen:
                    continue
                seen.add(m.name)
                t.addfile(m, s.extractfile(m) if m.isfile() else None)
            manifest += json.load(s.extractfile("manifest.json"))
    data = json.dumps(manifest).encode()
    info = tarfile.TarInfo("manifest.json")
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))
