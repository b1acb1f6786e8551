# RabbitMQ for ci/brokers: Debian's rabbitmq-server, run as a private node with its own epmd,
# ports, Erlang cookie, data and logs. Sourced by ci/brokers.
# shellcheck shell=bash

AMQP_PORT=${POSTWIRE_AMQP_PORT:-45672}
AMQP_DIST_PORT=${POSTWIRE_AMQP_DIST_PORT:-45673}
AMQP_EPMD_PORT=${POSTWIRE_AMQP_EPMD_PORT:-45674}
AMQP_MANAGEMENT_PORT=${POSTWIRE_AMQP_MANAGEMENT_PORT:-45675}
AMQP_NODE=postwire@localhost
RABBITMQ_BIN=/usr/lib/rabbitmq/bin

amqp_dir() { printf '%s/amqp\n' "$BROKERS_DIR"; }
amqp_logfile() { printf '%s/log/console.log\n' "$(amqp_dir)"; }
amqp_url() { printf 'amqp://guest:guest@127.0.0.1:%s\n' "$AMQP_PORT"; }
amqp_describe() { printf 'RabbitMQ %s on 127.0.0.1:%s' "$(amqp_version)" "$AMQP_PORT"; }
amqp_version() { dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null | cut -d- -f1; }

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

amqp_write_config() {
  local dir
  dir=$(amqp_dir)
  mkdir -p "$dir/home" "$dir/data" "$dir/log"
  : >"$dir/rabbitmq-env.conf"
  printf '[].\n' >"$dir/advanced.config"
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $AMQP_MANAGEMENT_PORT
log.file.level = info
CONF
}

amqp_start() {
  local dir
  dir=$(amqp_dir)
  [[ -x $RABBITMQ_BIN/rabbitmq-server ]] || die "brokers: RabbitMQ is not installed; run ci/setup"
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
  wait_until amqp "$(amqp_logfile)" "a booted RabbitMQ node" amqp_ctl await_startup --timeout 5
}

# The management API's queue declare and delete, the operations a client would perform.
amqp_api() {
  curl -fsS -u guest:guest -H 'content-type: application/json' \
    "http://127.0.0.1:$AMQP_MANAGEMENT_PORT/api/$2" -X "$1" ${3:+--data "$3"}
}

amqp_health() {
  local queue=postwire-health-$$
  wait_until amqp "$(amqp_logfile)" "a working management API" amqp_api GET overview
  amqp_api PUT "queues/%2F/$queue" '{"durable":false,"auto_delete":false}' &&
    amqp_api GET "queues/%2F/$queue" >/dev/null &&
    amqp_api DELETE "queues/%2F/$queue"
}

amqp_stop() {
  if running_pid amqp >/dev/null; then
    amqp_ctl stop >/dev/null 2>&1 || true
  fi
  terminate amqp
  terminate amqp-epmd
}
