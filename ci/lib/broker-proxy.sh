# The fault proxy for ci/brokers: Shopify's toxiproxy (built from the Go module proxy by
# ci/lib/toxiproxy), a TCP proxy whose API adds outages, latency, bandwidth limits, half-open
# connections and resets. It listens on loopback only. `ci/brokers up` starts it with the first
# broker and puts a proxy named after each broker in front of it; the fault suites make
# proxies of their own through the API. Sourced by ci/brokers.
# shellcheck shell=bash

PROXY_API_PORT=${POSTWIRE_PROXY_API_PORT:-48474}
# Where each broker's standing proxy listens.
AMQP_PROXY_PORT=${POSTWIRE_AMQP_PROXY_PORT:-45772}
KAFKA_PROXY_PORT=${POSTWIRE_KAFKA_PROXY_PORT:-49192}
SQS_PROXY_PORT=${POSTWIRE_SQS_PROXY_PORT:-49424}

proxy_dir() { printf '%s/proxy\n' "$BROKERS_DIR"; }
proxy_logfile() { printf '%s/server.log\n' "$(proxy_dir)"; }
proxy_api() { printf 'http://127.0.0.1:%s\n' "$PROXY_API_PORT"; }

proxy_start() {
  local server
  server=$("$POSTWIRE_ROOT/ci/lib/toxiproxy") || die "brokers: no toxiproxy; run ci/setup"
  mkdir -p "$(proxy_dir)"
  spawn proxy "$(proxy_logfile)" "$server" -host 127.0.0.1 -port "$PROXY_API_PORT"
}

proxy_wait_ready() {
  wait_until proxy "$(proxy_logfile)" "toxiproxy's API on port $PROXY_API_PORT" \
    curl -fsS "$(proxy_api)/version"
}

proxy_ensure_running() {
  running_pid proxy >/dev/null && return 0
  proxy_start && proxy_wait_ready
}

# proxy_add NAME LISTEN_PORT UPSTREAM_PORT: (re)creates the standing proxy of a broker.
proxy_add() {
  curl -fsS -X DELETE "$(proxy_api)/proxies/$1" >/dev/null 2>&1 || true
  curl -fsS -X POST "$(proxy_api)/proxies" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$1\", \"listen\": \"127.0.0.1:$2\", \"upstream\": \"127.0.0.1:$3\", \"enabled\": true}" \
    >/dev/null || { log "brokers: toxiproxy refused the proxy for $1"; return 1; }
}

# proxy_in_front NAME: the standing proxy of one broker, with toxiproxy started if need be.
# Brokers without a standing proxy (kafka-cluster) leave toxiproxy alone.
proxy_in_front() {
  case $1 in amqp | kafka | sqs) ;; *) return 0 ;; esac
  proxy_ensure_running || return 1
  case $1 in
    amqp) proxy_add amqp "$AMQP_PROXY_PORT" "$AMQP_PORT" ;;
    # Kafka hands clients the address of the listener they came in on: its PROXIED listener
    # advertises this proxy, so that every connection of a client stays behind it.
    kafka) proxy_add kafka "$KAFKA_PROXY_PORT" "$KAFKA_PROXIED_PORT" ;;
    sqs) proxy_add sqs "$SQS_PROXY_PORT" "$SQS_PORT" ;;
  esac
}

# The proxied URL of a broker: its own URL with the proxy's port (none for kafka-cluster).
proxy_url_of() {
  case $1 in
    amqp) amqp_url | sed "s/:$AMQP_PORT\$/:$AMQP_PROXY_PORT/" ;;
    kafka) kafka_url | sed "s/:$KAFKA_PORT\$/:$KAFKA_PROXY_PORT/" ;;
    sqs) sqs_url | sed "s/:$SQS_PORT?/:$SQS_PROXY_PORT?/" ;;
  esac
}

proxy_stop() { terminate proxy; }
