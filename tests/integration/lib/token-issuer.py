#!/usr/bin/env python3
"""token-issuer.py KEY CERT PORT USER PASSWORD [ACTIONS]: the token service of
a registry's bearer-token authentication, on 127.0.0.1, for Debian's
docker-registry (auth: token). GET /token?service=S&scope=repository:R:pull
with basic credentials USER:PASSWORD answers a JWT signed (RS256) with KEY,
carrying CERT in its x5c header, issued by "bh-test-issuer", granting ACTIONS
(comma-separated, default "pull"; "" grants nothing) on the repositories asked
for. Wrong credentials get 401. Test helper; stops by itself after 300 s."""
import base64, http.server, json, subprocess, sys, threading, time, urllib.parse

key, cert, port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
actions = [a for a in (sys.argv[6] if len(sys.argv) > 6 else "pull").split(",") if a]

def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def cert_der():
    pem = open(cert).read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return "".join(body.split())  # x5c holds standard base64 DER

def sign(payload):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=payload,
                         capture_output=True, check=True)
    return out.stdout

def token(service, scopes):
    now = int(time.time())
    access = []
    for s in scopes:
        parts = s.split(":")
        if len(parts) >= 3 and parts[0] == "repository":
            access.append({"type": "repository", "name": ":".join(parts[1:-1]), "actions": actions})
    header = {"typ": "JWT", "alg": "RS256", "x5c": [cert_der()]}
    claims = {"iss": "bh-test-issuer", "sub": user, "aud": service, "exp": now + 300,
              "nbf": now - 10, "iat": now, "jti": str(now), "access": access}
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode()
    return signing_input.decode() + "." + b64url(sign(signing_input))

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            return self.send(404, b"{}")
        want = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        if self.headers.get("Authorization") != want:
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}')
        q = urllib.parse.parse_qs(url.query)
        t = token(q.get("service", [""])[0], q.get("scope", []))
        self.send(200, json.dumps({"token": t, "access_token": t, "expires_in": 300}).encode())

srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
threading.Timer(300, srv.shutdown).start()
srv.serve_forever()
