#!/usr/bin/env python3
"""Writes the bad-input fixtures for tests/cli/cases (run from this directory)."""
import hashlib, io, json, sqlite3, os, subprocess, tarfile

def tar(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, kind, data in entries:
            ti = tarfile.TarInfo(name)
            if kind == "d":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "l":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return b.getvalue()

def archive(layers, diff_ids=None, manifest=None, config=None):
    diff_ids = diff_ids or ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    cfg = config if config is not None else json.dumps(
        {"config": {"User": "app"}, "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    man = manifest if manifest is not None else json.dumps(
        [{"Config": "c.json", "RepoTags": ["fixture:1"],
          "Layers": ["l%d/layer.tar" % i for i in range(len(layers))]}]).encode()
    return tar([("l%d/layer.tar" % i, "f", l) for i, l in enumerate(layers)] +
               [("c.json", "f", cfg), ("manifest.json", "f", man)])

apk = b"P:musl\nV:1.1.22-r2\nA:x86_64\no:musl\n\n"
good = tar([("etc/alpine-release", "f", b"3.10.2\n"), ("lib/apk/db/installed", "f", apk)])
open("good.tar", "wb").write(archive([good]))

open("traversal.tar", "wb").write(archive([tar([("../../../etc/passwd", "f", b"root::0:0::/:/bin/sh\n")])]))
open("absolute.tar", "wb").write(archive([tar([("/etc/alpine-release", "f", b"3.10.2\n"),
                                                ("/lib/apk/db/installed", "f", apk)])]))
whole = archive([good])
open("truncated.tar", "wb").write(whole[:len(whole) // 2])
open("bad-diffid.tar", "wb").write(archive([good], diff_ids=["sha256:" + "0" * 64]))
open("bogus-manifest.tar", "wb").write(archive([good], manifest=b"{\"not\": \"a list\"}"))
open("bogus-config.tar", "wb").write(archive([good], config=b"[1, 2"))
open("missing-layer.tar", "wb").write(archive([good], manifest=json.dumps(
    [{"Config": "c.json", "Layers": ["nope/layer.tar"]}]).encode()))
loop = tar([("etc/os-release", "l", "os-release"), ("lib/apk/db/installed", "f", apk)])
open("symlink-loop.tar", "wb").write(archive([loop]))
corrupt_pkgdb = tar([("etc/alpine-release", "f", b"3.10.2\n"),
                     ("lib/apk/db/installed", "f", b"P:musl\n\x00\x01\x02garbage")])
open("corrupt-pkgdb.tar", "wb").write(archive([corrupt_pkgdb]))
open("not-an-image.tar", "wb").write(tar([("hello.txt", "f", b"hello\n")]))
# a zstd layer that expands to 1.1 GiB of zeros: a decompression bomb
zeros = tar([("big", "f", b"")])  # placeholder, replaced below
if not os.path.exists("bomb.tar"):
    big = subprocess.run("truncate -s 1100M /tmp/bh-bomb-zeros && tar -C /tmp -cf - bh-bomb-zeros | zstd -19 -q -c; rm -f /tmp/bh-bomb-zeros",
                         shell=True, check=True, stdout=subprocess.PIPE).stdout
    open("bomb.tar", "wb").write(archive([big], diff_ids=["sha256:" + "1" * 64]))

open("corrupt.db", "wb").write(b"this is not an SQLite database at all, just text\n" * 100)
if os.path.exists("foreign.db"):
    os.remove("foreign.db")
c = sqlite3.connect("foreign.db")
c.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)")
c.commit()
c.close()

# an OCI archive whose layer blob is stored under a name that is not its digest
layer = tar([("etc/alpine-release", "f", b"3.19.1\n")])
ld = hashlib.sha256(layer).hexdigest()
cfg = json.dumps({"rootfs": {"type": "layers", "diff_ids": ["sha256:" + ld]}}).encode()
cd = hashlib.sha256(cfg).hexdigest()
bad = "0" * 64
man = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:" + cd, "mediaType": "application/vnd.oci.image.config.v1+json"},
                  "layers": [{"digest": "sha256:" + bad, "mediaType": "application/vnd.oci.image.layer.v1.tar"}]}).encode()
md = hashlib.sha256(man).hexdigest()
index = json.dumps({"schemaVersion": 2, "manifests": [{"digest": "sha256:" + md, "mediaType": "application/vnd.oci.image.manifest.v1+json"}]}).encode()
open("bad-blob.tar", "wb").write(tar([("oci-layout", "f", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", "f", index),
                                      ("blobs/sha256/" + md, "f", man), ("blobs/sha256/" + cd, "f", cfg),
                                      ("blobs/sha256/" + bad, "f", layer)]))
