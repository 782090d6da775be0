# Local CA and the loopback server certificate, generated once. Sourced by stack.sh.
# shellcheck shell=bash

certs_ensure() {
  local d=$CHAT_CERT_DIR
  if [ -f "$d/ca.crt" ] && [ -f "$d/server.crt" ] && [ -f "$d/server.p12" ]; then
    return 0
  fi
  command -v openssl >/dev/null || die "openssl is missing: apt-get install openssl"
  say "generating the local CA and the server certificate in $d"
  mkdir -p "$d" && chmod 700 "$d"
  local tmp; tmp=$(mktemp -d "$d/.gen.XXXX")
  (
    set -e
    cd "$tmp"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/O=SecureChat local/CN=SecureChat local CA" -keyout ca.key -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -subj "/O=SecureChat local/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth,clientAuth" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "basicConstraints=CA:FALSE" >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
      -extfile server.ext -out server.crt 2>/dev/null
    # PKCS#12 for the Kafka SSL listener (the password is local-only, see lib.sh).
    openssl pkcs12 -export -in server.crt -inkey server.key -certfile ca.crt -name server \
      -passout "pass:$CHAT_STORE_PASSWORD" -out server.p12
    rm -f server.csr server.ext ca.srl
    chmod 600 ./*.key server.p12
  ) || { rm -rf "$tmp"; die "certificate generation failed (openssl); see the messages above"; }
  mv "$tmp"/* "$d"/ && rmdir "$tmp"
  ok "certificates ready: CA $d/ca.crt, server $d/server.crt (localhost, 127.0.0.1)"
}

certs_status() {
  if [ -f "$CHAT_CERT_DIR/ca.crt" ]; then
    say "certs      present  $(openssl x509 -in "$CHAT_CERT_DIR/server.crt" -noout -enddate 2>/dev/null | sed 's/notAfter=/server cert valid until /')"
  else
    say "certs      absent   (generated on start)"
  fi
}
