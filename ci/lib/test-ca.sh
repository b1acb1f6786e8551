# Throw-away test certificates for the brokers' TLS listeners (ci/brokers): a CA, a server
# certificate for 127.0.0.1 and localhost, optionally a client certificate, and an unrelated
# CA that must not verify the server. Keys are P-256, unencrypted, PKCS#8, mode 600: made for
# tests on loopback and nothing else. Sourced by ci/brokers.
# shellcheck shell=bash

# openssl with a new P-256 key, unencrypted: for 'req' that makes a key and a certificate.
test_ca_newkey() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 "$@"; }

# test_ca_issue DIR NAME SUBJECT EXTENSIONS: NAME.pem and NAME-key.pem, signed by DIR/ca.pem.
test_ca_issue() {
  local dir=$1 name=$2 subject=$3 extensions=$4
  printf '%s\n' "$extensions" >"$dir/$name.ext" &&
    test_ca_newkey -new -subj "$subject" -keyout "$dir/$name-key.pem" -out "$dir/$name.csr" &&
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
      -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
      -extfile "$dir/$name.ext" -out "$dir/$name.pem" &&
    rm -f "$dir/$name.csr" "$dir/$name.ext"
}

# test_ca_generate DIR BROKER [CLIENT_CN]: makes DIR/ca.pem, DIR/server.pem (+ -key.pem),
# DIR/other-ca.pem and, given CLIENT_CN, DIR/client.pem (+ -key.pem) for that CN, once: a
# complete DIR is kept as it is. Made in a temporary folder and moved into place, so that an
# interrupted run leaves no half set behind.
test_ca_generate() {
  local tls=$1 broker=$2 client_cn=${3:-} tmp
  [[ -f $tls/ca.pem && -f $tls/server.pem && -f $tls/other-ca.pem ]] &&
    [[ -z $client_cn || -f $tls/client.pem ]] && return 0
  command -v openssl >/dev/null || die "brokers: openssl is not installed; run ci/setup"
  tmp=$tls.tmp.$$
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # set -e does not apply inside a '||' list, hence the '&&' chain.
  (
    umask 077
    local ca_ext=(-addext 'basicConstraints=critical,CA:TRUE'
      -addext 'keyUsage=critical,keyCertSign,cRLSign')
    test_ca_newkey -x509 -days 3650 -subj "/CN=postwire test CA" "${ca_ext[@]}" \
      -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" &&
      test_ca_issue "$tmp" server "/CN=localhost" "$(printf '%s\n' \
        'basicConstraints=critical,CA:FALSE' \
        'keyUsage=critical,digitalSignature,keyEncipherment' \
        'extendedKeyUsage=serverAuth' \
        'subjectAltName=IP:127.0.0.1,DNS:localhost')" &&
      if [[ -n $client_cn ]]; then
        test_ca_issue "$tmp" client "/CN=$client_cn" "$(printf '%s\n' \
          'basicConstraints=critical,CA:FALSE' \
          'keyUsage=critical,digitalSignature,keyEncipherment' \
          'extendedKeyUsage=clientAuth')" &&
          openssl verify -CAfile "$tmp/ca.pem" "$tmp/client.pem"
      fi &&
      test_ca_newkey -x509 -days 3650 -subj "/CN=postwire unrelated test CA" "${ca_ext[@]}" \
        -keyout "$tmp/other-ca-key.pem" -out "$tmp/other-ca.pem" &&
      openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" &&
      ! openssl verify -CAfile "$tmp/other-ca.pem" "$tmp/server.pem"
  ) >"$tmp.log" 2>&1 || {
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "brokers: could not make the test certificates with openssl"
  }
  rm -rf "$tls" "$tmp.log"
  mv "$tmp" "$tls"
  log "brokers: $broker: made a test CA and certificates in $tls"
}
