#!/usr/bin/env python3
"""make-oci.py [--zstd] DOCKER_ARCHIVE OUT_DIR [OUT_TAR]: converts a `docker
save` tarball into an OCI image layout (gzip layers, or zstd ones, an index
with a platform) and, when OUT_TAR is given, the same layout as a tar (an OCI
archive). Test helper."""
import gzip, hashlib, io, json, os, subprocess, sys, tarfile

args = sys.argv[1:]
zstd = args[0] == "--zstd"
if zstd:
    args = args[1:]
src, out = args[0], args[1]
os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)

def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)

with tarfile.open(src) as t:
    man = json.load(t.extractfile("manifest.json"))[0]
    config = t.extractfile(man["Config"]).read()
    layers = []
    for name in man["Layers"]:
        raw = t.extractfile(name).read()
        if zstd:
            gz = subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE, check=True).stdout
        else:
            gz = gzip.compress(raw, mtime=0)
        digest, size = put(gz)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+" + ("zstd" if zstd else "gzip"),
                       "digest": digest, "size": size})
cdigest, csize = put(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": cdigest, "size": csize},
                       "layers": layers}).encode()
mdigest, msize = put(manifest)
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
         "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": mdigest, "size": msize,
                        "platform": {"os": "linux", "architecture": "amd64"},
                        "annotations": {"org.opencontainers.image.ref.name": "test"}}]}
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
if len(args) > 2:
    with tarfile.open(args[2], "w") as t:
        for name in ["oci-layout", "index.json"] + sorted(
                os.path.join("blobs", "sha256", b) for b in os.listdir(os.path.join(out, "blobs", "sha256"))):
            t.add(os.path.join(out, name), arcname=name)
