# Local key material of transcript-service, generated once (mode 0600). Sourced by stack.sh.
# shellcheck shell=bash
#
# Google Tink keysets in Tink's JSON keyset format, written without Tink itself (the format is
# a small protobuf): transcript-service's tests check that Tink loads them.
#   transcript-kek.json    AES256_GCM key-encryption key (wraps the per-conversation data keys)
#   transcript-index.json  HMAC-SHA256 PRF key of the blind search index (a separate key)
# In Kubernetes the same files come from a mounted Secret (transcript-service/README.md).

CHAT_KEY_DIR=$CHAT_RUN_DIR/keys

_tink_key_id() { echo $(( ( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 2147483647 ) + 1 )); }

# KEYDATA_HEX TYPE_URL OUTPUT_PREFIX -> one-key keyset JSON
_tink_keyset_json() {
  local id value
  id=$(_tink_key_id)
  value=$(printf '%s' "$1" | xxd -r -p | base64 -w0)
  printf '{"primaryKeyId":%s,"key":[{"keyData":{"typeUrl":"%s","value":"%s","keyMaterialType":"SYMMETRIC"},"status":"ENABLED","keyId":%s,"outputPrefixType":"%s"}]}\n' \
    "$id" "$2" "$value" "$id" "$3"
}

keys_ensure() {
  local d=$CHAT_KEY_DIR
  [ -f "$d/transcript-kek.json" ] && [ -f "$d/transcript-index.json" ] && [ -f "$d/audit-signing.json" ] \
    && [ -f "$d/audit-signing.pub" ] && return 0
  command -v xxd >/dev/null || apt_install xxd
  say "generating the local key material of transcript-service in $d (mode 0600)"
  mkdir -p "$d" && chmod 700 "$d"
  local raw
  if [ ! -f "$d/transcript-kek.json" ]; then
    # AesGcmKey { key_value (3) = 32 random bytes }
    raw=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077; _tink_keyset_json "1a20$raw" type.googleapis.com/google.crypto.tink.AesGcmKey TINK >"$d/transcript-kek.json.tmp")
    mv "$d/transcript-kek.json.tmp" "$d/transcript-kek.json"
  fi
  if [ ! -f "$d/transcript-index.json" ]; then
    # HmacPrfKey { params (2) = { hash (1) = SHA256 (3) }, key_value (3) = 32 random bytes }
    raw=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077; _tink_keyset_json "120208031a20$raw" type.googleapis.com/google.crypto.tink.HmacPrfKey RAW >"$d/transcript-index.json.tmp")
    mv "$d/transcript-index.json.tmp" "$d/transcript-index.json"
  fi
  if [ ! -f "$d/audit-signing.json" ] || [ ! -f "$d/audit-signing.pub" ]; then
    _audit_signing_key "$d"
  fi
  chmod 600 "$d"/*.json
  ok "key material ready: $d"
}

# audit-service's Ed25519 tree-head signing key (issue 7), made with openssl, as a Tink keyset:
#   audit-signing.json  Ed25519PrivateKey { key_value (2) = the 32-byte seed,
#                       public_key (3) = Ed25519PublicKey { key_value (2) } }, RAW output prefix
#                       (plain Ed25519 signatures)
#   audit-signing.pub   base64 of the raw 32-byte public key: all the offline verifier needs
_audit_signing_key() {
  local d=$1 tmp seed pub id
  command -v openssl >/dev/null || apt_install openssl
  say "generating audit-service's tree-head signing key in $d (Ed25519)"
  tmp=$(mktemp -d) && chmod 700 "$tmp"
  openssl genpkey -algorithm ed25519 -outform DER -out "$tmp/k.der" 2>/dev/null || { rm -rf "$tmp"; die "openssl could not generate an Ed25519 key"; }
  # PKCS#8 and SubjectPublicKeyInfo DER of Ed25519 both end with the 32 raw key bytes.
  seed=$(tail -c 32 "$tmp/k.der" | od -An -tx1 | tr -d ' \n')
  pub=$(openssl pkey -inform DER -in "$tmp/k.der" -pubout -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n')
  rm -rf "$tmp"
  [ ${#seed} -eq 64 ] && [ ${#pub} -eq 64 ] || die "unexpected Ed25519 key encoding from openssl"
  id=$(_tink_key_id)
  (umask 077; printf '{"primaryKeyId":%s,"key":[{"keyData":{"typeUrl":"type.googleapis.com/google.crypto.tink.Ed25519PrivateKey","value":"%s","keyMaterialType":"ASYMMETRIC_PRIVATE"},"status":"ENABLED","keyId":%s,"outputPrefixType":"RAW"}]}\n' \
    "$id" "$(printf '%s' "1220${seed}1a221220${pub}" | xxd -r -p | base64 -w0)" "$id" >"$d/audit-signing.json.tmp")
  mv "$d/audit-signing.json.tmp" "$d/audit-signing.json"
  printf '%s' "$pub" | xxd -r -p | base64 -w0 >"$d/audit-signing.pub"
  echo >>"$d/audit-signing.pub"
  chmod 644 "$d/audit-signing.pub"
}

keys_status() {
  if [ -f "$CHAT_KEY_DIR/transcript-kek.json" ]; then
    printf '[stack] %-9s present  %s (mode %s)\n' keys "$CHAT_KEY_DIR" "$(stat -c %a "$CHAT_KEY_DIR/transcript-kek.json")"
  else
    printf '[stack] %-9s missing  (made by start)\n' keys
  fi
}
