# RabbitMQ for ci/brokers: Debian's rabbitmq-server, run as a private node with its own epmd,
# ports, Erlang cookie, data and logs. Besides plain AMQP it listens for AMQP over TLS (amqps)
# with certificates from a throw-away test CA, and accepts SASL EXTERNAL: a client certificate
# whose CN names a user logs in as that user. Sourced by ci/brokers.
# shellcheck shell=bash

AMQP_PORT=${POSTWIRE_AMQP_PORT:-45672}
AMQP_DIST_PORT=${POSTWIRE_AMQP_DIST_PORT:-45673}
AMQP_EPMD_PORT=${POSTWIRE_AMQP_EPMD_PORT:-45674}
AMQP_MANAGEMENT_PORT=${POSTWIRE_AMQP_MANAGEMENT_PORT:-45675}
AMQPS_PORT=${POSTWIRE_AMQPS_PORT:-45676}
# The user that a client certificate with this CN logs in as through SASL EXTERNAL.
AMQP_EXTERNAL_USER=postwire-external
AMQP_NODE=postwire@localhost
RABBITMQ_BIN=/usr/lib/rabbitmq/bin

amqp_dir() { printf '%s/amqp\n' "$BROKERS_DIR"; }
amqp_logfile() { printf '%s/log/console.log\n' "$(amqp_dir)"; }
amqp_tls_dir() { printf '%s/tls\n' "$(amqp_dir)"; }
amqp_url() { printf 'amqp://guest:guest@127.0.0.1:%s\n' "$AMQP_PORT"; }
amqps_url() { printf 'amqps://guest:guest@127.0.0.1:%s\n' "$AMQPS_PORT"; }
amqp_management_url() { printf 'http://guest:guest@127.0.0.1:%s\n' "$AMQP_MANAGEMENT_PORT"; }
amqp_version() { dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null | cut -d- -f1; }
amqp_describe() {
  printf 'RabbitMQ %s on 127.0.0.1:%s, TLS on %s, management on %s' \
    "$(amqp_version)" "$AMQP_PORT" "$AMQPS_PORT" "$AMQP_MANAGEMENT_PORT"
}

# The variables besides POSTWIRE_TEST_AMQP_URL that 'ci/brokers env' exports for RabbitMQ.
amqp_env_extra() {
  local tls
  tls=$(amqp_tls_dir)
  printf '%s=%s\n' \
    AMQPS_URL "$(amqps_url)" \
    AMQP_TLS_CA "$tls/ca.pem" \
    AMQP_TLS_CERT "$tls/client.pem" \
    AMQP_TLS_KEY "$tls/client-key.pem" \
    AMQP_TLS_OTHER_CA "$tls/other-ca.pem" \
    AMQP_MANAGEMENT_URL "$(amqp_management_url)"
}

# The environment that points RabbitMQ's scripts at the private node and nothing else.
amqp_env_vars() {
  local dir
  dir=$(amqp_dir)
  AMQP_ENV=(
    HOME="$dir/home"
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_NODENAME="$AMQP_NODE"
    RABBITMQ_MNESIA_BASE="$dir/data"
    RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
    RABBITMQ_DIST_PORT="$AMQP_DIST_PORT"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_PORT="$AMQP_EPMD_PORT"
    ERL_EPMD_ADDRESS=127.0.0.1
  )
}

# The test certificates (ci/lib/test-ca.sh), made once and kept with the node's data: a CA, a
# server certificate for 127.0.0.1 and localhost, a client certificate for SASL EXTERNAL, and an
# unrelated CA (other-ca.pem) that must not verify the server.
amqp_tls_generate() { test_ca_generate "$(amqp_tls_dir)" amqp "$AMQP_EXTERNAL_USER"; }

amqp_write_config() {
  local dir tls
  dir=$(amqp_dir)
  tls=$(amqp_tls_dir)
  mkdir -p "$dir/home" "$dir/data" "$dir/log"
  : >"$dir/rabbitmq-env.conf"
  printf '[].\n' >"$dir/advanced.config"
  printf '[rabbitmq_management,rabbitmq_auth_mechanism_ssl].\n' >"$dir/enabled_plugins"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
listeners.ssl.default = 127.0.0.1:$AMQPS_PORT
ssl_options.cacertfile = $tls/ca.pem
ssl_options.certfile = $tls/server.pem
ssl_options.keyfile = $tls/server-key.pem
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
ssl_options.versions.1 = tlsv1.3
ssl_options.versions.2 = tlsv1.2
auth_mechanisms.1 = PLAIN
auth_mechanisms.2 = AMQPLAIN
auth_mechanisms.3 = EXTERNAL
ssl_cert_login_from = common_name
management.tcp.ip = 127.0.0.1
management.tcp.port = $AMQP_MANAGEMENT_PORT
log.file.level = info
CONF
}

amqp_start() {
  local dir
  dir=$(amqp_dir)
  [[ -x $RABBITMQ_BIN/rabbitmq-server ]] || die "brokers: RabbitMQ is not installed; run ci/setup"
  amqp_tls_generate
  amqp_write_config
  # The node's own epmd on a private port, so that ours never meets another node's.
  if ! running_pid amqp-epmd >/dev/null; then
    spawn amqp-epmd "$dir/log/epmd.log" env ERL_EPMD_ADDRESS=127.0.0.1 epmd -port "$AMQP_EPMD_PORT"
    wait_until amqp-epmd "$dir/log/epmd.log" "epmd listening" \
      env ERL_EPMD_PORT="$AMQP_EPMD_PORT" epmd -names
  fi
  amqp_env_vars
  spawn amqp "$(amqp_logfile)" env "${AMQP_ENV[@]}" "$RABBITMQ_BIN/rabbitmq-server"
}

amqp_ctl() {
  amqp_env_vars
  env "${AMQP_ENV[@]}" "$RABBITMQ_BIN/rabbitmqctl" -n "$AMQP_NODE" "$@"
}

amqp_wait_ready() {
  wait_until amqp "$(amqp_logfile)" "a booted RabbitMQ node" amqp_ctl await_startup --timeout 5 &&
    amqp_add_external_user
}

# The user that the client certificate logs in as. EXTERNAL needs no password; the user gets a
# random one so that it cannot log in with PLAIN. Kept in the node's data across restarts.
amqp_add_external_user() {
  local users
  users=$(amqp_ctl list_users --silent) || return 1
  if ! cut -f1 <<<"$users" | grep -qxF "$AMQP_EXTERNAL_USER"; then
    amqp_ctl add_user "$AMQP_EXTERNAL_USER" "$(openssl rand -hex 24)" >/dev/null || return 1
  fi
  amqp_ctl set_permissions -p / "$AMQP_EXTERNAL_USER" '.*' '.*' '.*' >/dev/null
}

# The management API's queue declare and delete, the operations a client would perform.
amqp_api() {
  curl -fsS -u guest:guest -H 'content-type: application/json' \
    "http://127.0.0.1:$AMQP_MANAGEMENT_PORT/api/$2" -X "$1" ${3:+--data "$3"}
}

# Over the TLS listener: a handshake that verifies the server against the test CA and
# presents the client certificate, then a SASL EXTERNAL login and connection.open on vhost /.
amqps_health() {
  local tls
  tls=$(amqp_tls_dir)
  POSTWIRE_AMQPS_PORT=$AMQPS_PORT POSTWIRE_AMQP_TLS_CA=$tls/ca.pem \
    POSTWIRE_AMQP_TLS_CERT=$tls/client.pem POSTWIRE_AMQP_TLS_KEY=$tls/client-key.pem \
    python3 "$POSTWIRE_ROOT/ci/lib/amqps_health.py"
}

amqp_health() {
  local queue=postwire-health-$$
  wait_until amqp "$(amqp_logfile)" "a working management API" amqp_api GET overview
  amqp_api PUT "queues/%2F/$queue" '{"durable":false,"auto_delete":false}' &&
    amqp_api GET "queues/%2F/$queue" >/dev/null &&
    amqp_api DELETE "queues/%2F/$queue" &&
    amqps_health
}

amqp_stop() {
  if running_pid amqp >/dev/null; then
    amqp_ctl stop >/dev/null 2>&1 || true
  fi
  terminate amqp
  terminate amqp-epmd
}
