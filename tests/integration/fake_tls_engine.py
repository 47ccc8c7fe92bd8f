#!/usr/bin/env python3
"""A Docker Engine stand-in over TCP with TLS that requires a client
certificate signed by the test CA: fake_tls_engine.py PORT CERTDIR.
It answers the few lists the audit asks for, so the client's TLS setup is
tested end to end."""
import http.server
import json
import ssl
import sys

port, certs = int(sys.argv[1]), sys.argv[2]
ANSWERS = {
    "/version": {"Version": "29.1.0", "ApiVersion": "1.52"},
    "/info": {"ServerVersion": "29.1.0", "Driver": "overlay2", "LoggingDriver": "journald",
              "DockerRootDir": "/var/lib/docker", "Swarm": {"LocalNodeState": "inactive"},
              "SecurityOptions": ["name=seccomp,profile=default"]},
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        body = json.dumps(ANSWERS.get(path, [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(certs + "/server-cert.pem", certs + "/server-key.pem")
ctx.load_verify_locations(certs + "/ca.pem")
ctx.verify_mode = ssl.CERT_REQUIRED
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
