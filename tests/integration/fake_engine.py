#!/usr/bin/env python3
"""A misbehaving Docker Engine on a unix socket, for bad-input tests.

fake_engine.py MODE SOCKET: serves until killed. MODE is one of
  garbage   answer every request with bytes that are not HTTP
  hang      accept and never answer
  truncate  send a 200 with a Content-Length it never fulfils, then close
  huge      send an endless JSON body
  badjson   send 200 with a body that is not JSON
  vanish    answer /info and /version, list one container, 404 its inspect
"""
import json
import os
import socket
import sys
import threading
import time

mode, path = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(64)

INFO = {"ServerVersion": "27.1.0", "Driver": "overlay2", "LoggingDriver": "json-file",
        "DockerRootDir": "/var/lib/docker", "SecurityOptions": ["name=seccomp,profile=default"],
        "Swarm": {"LocalNodeState": "inactive"}}
VERSION = {"Version": "27.1.0", "ApiVersion": "1.46"}
CID = "a" * 64


def reply(conn, status, body):
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    head = "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
        status, len(data))
    conn.sendall(head.encode() + data)


def handle(conn):
    try:
        f = conn.makefile("rb")
        while True:
            line = f.readline()
            if not line:
                return
            request = line.decode(errors="replace").split(" ")
            target = request[1] if len(request) > 1 else "/"
            while True:  # headers
                h = f.readline()
                if not h or h in (b"\r\n", b"\n"):
                    break
            if mode == "garbage":
                conn.sendall(b"\x00\x01this is not http at all\r\n\r\n")
                return
            if mode == "hang":
                time.sleep(3600)
            if mode == "truncate":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{\"Version\": \"2")
                return
            if mode == "huge":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
                chunk = b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",' * 20000
                while True:
                    conn.sendall(chunk)
            if mode == "badjson":
                reply(conn, "200 OK", b"{\"Version\": 27.1.0, oops")
                continue
            if mode == "vanish":
                if target.startswith("/info"):
                    reply(conn, "200 OK", INFO)
                elif target.startswith("/version"):
                    reply(conn, "200 OK", VERSION)
                elif target.startswith("/containers/json"):
                    reply(conn, "200 OK", [{"Id": CID, "State": "running", "Names": ["/ghost"]}])
                elif target.startswith("/containers/"):
                    reply(conn, "404 Not Found", {"message": "No such container: " + CID})
                else:
                    reply(conn, "200 OK", [])
                continue
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        conn.close()


while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
