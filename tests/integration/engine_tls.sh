#!/usr/bin/env bash
# The Engine API client over TCP with TLS: DOCKER_HOST, DOCKER_TLS_VERIFY and
# DOCKER_CERT_PATH against a server on loopback that demands a client
# certificate from the test CA; and the current docker context.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/bh-tls.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

if ! command -v openssl >/dev/null; then
  tap_skip "TLS engine" "openssl is not installed"; tap_done; exit 0
fi
certs=$tmp/certs client=$tmp/client other=$tmp/other
mkdir -p "$certs" "$client" "$other"
(
  cd "$certs"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=bh-test-ca
  openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=localhost
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 2 -extfile ext.cnf
  openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=client
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2
  # a client certificate from another CA must be refused
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$other/key.pem" -out "$other/cert.pem" -days 2 -subj /CN=stranger
) >/dev/null 2>&1
cp "$certs/ca.pem" "$certs/cert.pem" "$certs/key.pem" "$client/"
cp "$certs/ca.pem" "$other/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$here/fake_tls_engine.py" "$port" "$certs" & pid=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

DOCKER_HOST=tcp://127.0.0.1:$port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$client \
  "$BULKHEAD" audit --check 1.2.2,2.17 --format json -o "$tmp/ok.json" 2>"$tmp/ok.err"
tap_check "TLS with a client certificate: the engine answers (1.2.2 judges 29.1.0)" \
  jq -e '.results[] | select(.id=="1.2.2") | .status == "pass" and (.message|test("29.1.0"))' "$tmp/ok.json"
DOCKER_HOST=tcp://127.0.0.1:$port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$other \
  "$BULKHEAD" audit --check 1.2.2 --format json -o "$tmp/stranger.json" 2>/dev/null
tap_check "a client certificate from another CA is refused: error, not a verdict" \
  jq -e '.results[0].status == "error" and (.results[0].message|test("tcp://127.0.0.1"))' "$tmp/stranger.json"
mkdir -p "$tmp/noca" && cp "$certs/cert.pem" "$certs/key.pem" "$tmp/noca/"
DOCKER_HOST=tcp://127.0.0.1:$port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$tmp/noca \
  "$BULKHEAD" audit --check 1.2.2 --format json -o "$tmp/noca.json" 2>/dev/null
tap_check "without the CA the server is not trusted" jq -e '.results[0].status == "error"' "$tmp/noca.json"

# the current docker context names the same endpoint, with its TLS material
cfg=$tmp/dockercfg
hash=$(printf 'tlsctx' | sha256sum | cut -d' ' -f1)
mkdir -p "$cfg/contexts/meta/$hash" "$cfg/contexts/tls/$hash/docker"
printf '{"currentContext":"tlsctx"}' > "$cfg/config.json"
printf '{"Name":"tlsctx","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:%s","SkipTLSVerify":false}}}' "$port" > "$cfg/contexts/meta/$hash/meta.json"
cp "$client"/*.pem "$cfg/contexts/tls/$hash/docker/"
env -u DOCKER_HOST DOCKER_CONFIG=$cfg "$BULKHEAD" audit --check 1.2.2 --format json -o "$tmp/ctx.json" 2>/dev/null
tap_check "the current docker context's endpoint and TLS files are used" \
  jq -e '.results[0].status == "pass"' "$tmp/ctx.json"
tap_done
