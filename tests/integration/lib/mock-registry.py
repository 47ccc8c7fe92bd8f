#!/usr/bin/env python3
"""mock-registry.py OCI_DIR PORT USER PASSWORD: a distribution (v2) API server
on 127.0.0.1 that serves one OCI layout as repository bh/synth, tag 1, behind
bearer-token authentication (a token service at /token that wants basic
credentials), and answers blob GETs with a redirect to /storage/ as registries
backed by object storage do. Test helper; stops by itself after 120 s."""
import base64, http.server, json, os, secrets, sys, threading

root, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
token = secrets.token_hex(16)
index = json.load(open(os.path.join(root, "index.json")))
manifest_digest = index["manifests"][0]["digest"]

def blob(digest):
    p = os.path.join(root, "blobs", "sha256", digest.split(":", 1)[1])
    return open(p, "rb").read() if os.path.isfile(p) else None

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def send(self, code, body=b"", ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/token":
            want = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
            if self.headers.get("Authorization") != want or "scope=repository%3Abh%2Fsynth%3Apull" not in self.path:
                return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}')
            return self.send(200, json.dumps({"token": token, "expires_in": 300}).encode())
        if path.startswith("/storage/"):
            data = blob(path[len("/storage/"):])
            return self.send(200, data, "application/octet-stream") if data else self.send(404)
        if not path.startswith("/v2/"):
            return self.send(404)
        if self.headers.get("Authorization") != "Bearer " + token:
            chal = 'Bearer realm="http://127.0.0.1:%d/token",service="mock",scope="repository:bh/synth:pull"' % port
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', headers=[("WWW-Authenticate", chal)])
        if path == "/v2/":
            return self.send(200, b"{}")
        parts = path[len("/v2/"):].split("/")
        if parts[:2] != ["bh", "synth"] or len(parts) != 4:
            return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN"}]}')
        kind, ref = parts[2], parts[3]
        if kind == "manifests":
            digest = manifest_digest if ref == "1" else ref
            data = blob(digest)
            if data is None:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            return self.send(200, data, "application/vnd.oci.image.manifest.v1+json",
                             [("Docker-Content-Digest", digest)])
        if kind == "blobs":
            if blob(ref) is None:
                return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
            return self.send(307, b"", headers=[("Location", "/storage/" + ref)])
        return self.send(404)

srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
threading.Timer(120, srv.shutdown).start()
srv.serve_forever()
