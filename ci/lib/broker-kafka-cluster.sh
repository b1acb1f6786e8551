# A three-node Apache Kafka cluster for ci/brokers (the broker name is kafka-cluster): three
# KRaft nodes, each a combined broker and controller, from the same jars as the single node
# (ci/lib/broker-kafka.sh), with a static quorum of all three. Topics get three replicas and
# need two in sync, so that the fault suites can kill one node (ci/brokers pid kafka-cluster N,
# then kill -9) and bring it back (ci/brokers restart-node kafka-cluster N) while clients keep
# working. Not in ci/brokers' default set: it starts only when named. Sourced by ci/brokers.
# shellcheck shell=bash

KAFKA_CLUSTER_NODES=3
# Node N listens for clients on KAFKA_CLUSTER_PORT + N - 1 and for its controller quorum on
# KAFKA_CLUSTER_CONTROLLER_PORT + N - 1.
KAFKA_CLUSTER_PORT=${POSTWIRE_KAFKA_CLUSTER_PORT:-49201}
KAFKA_CLUSTER_CONTROLLER_PORT=${POSTWIRE_KAFKA_CLUSTER_CONTROLLER_PORT:-49211}
KAFKA_CLUSTER_HEAP=${POSTWIRE_KAFKA_CLUSTER_HEAP:-384m}

kafka_cluster_dir() { printf '%s/kafka-cluster\n' "$BROKERS_DIR"; }
# The name ci/brokers' process handling knows node N by (its PID file is under it).
kafka_cluster_node() { printf 'kafka-cluster/node%s\n' "$1"; }
kafka_cluster_node_dir() { printf '%s/node%s\n' "$(kafka_cluster_dir)" "$1"; }
kafka_cluster_node_logfile() { printf '%s/log/server.out\n' "$(kafka_cluster_node_dir "$1")"; }
kafka_cluster_node_port() { printf '%s\n' $((KAFKA_CLUSTER_PORT + $1 - 1)); }
kafka_cluster_logfile() { printf '%s/node*/log/server.out\n' "$(kafka_cluster_dir)"; }
kafka_cluster_nodes() { seq 1 "$KAFKA_CLUSTER_NODES"; }

kafka_cluster_bootstrap() {
  local n hosts=()
  for n in $(kafka_cluster_nodes); do
    hosts+=("127.0.0.1:$(kafka_cluster_node_port "$n")")
  done
  (IFS=,; printf '%s\n' "${hosts[*]}")
}
kafka_cluster_url() { printf 'kafka://%s\n' "$(kafka_cluster_bootstrap)"; }
kafka_cluster_describe() {
  printf 'Apache Kafka %s (KRaft), %s nodes on 127.0.0.1:%s-%s' "$(kafka_version)" \
    "$KAFKA_CLUSTER_NODES" "$KAFKA_CLUSTER_PORT" "$((KAFKA_CLUSTER_PORT + KAFKA_CLUSTER_NODES - 1))"
}

# The cluster runs when every node does; prints their PIDs.
kafka_cluster_running() {
  local n pid pids=()
  for n in $(kafka_cluster_nodes); do
    pid=$(running_pid "$(kafka_cluster_node "$n")") || return 1
    pids+=("$pid")
  done
  printf '%s\n' "${pids[*]}"
}

# kafka_cluster_check_node N: fails unless N names a node of the cluster.
kafka_cluster_check_node() {
  if [[ ! ${1:-} =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > KAFKA_CLUSTER_NODES)); then
    die "brokers: kafka-cluster has nodes 1 to $KAFKA_CLUSTER_NODES, not '${1:-}'"
  fi
}

kafka_cluster_node_pid() {
  kafka_cluster_check_node "$1"
  running_pid "$(kafka_cluster_node "$1")" || die "brokers: kafka-cluster node $1 is not running"
}

kafka_cluster_write_config() {
  local n=$1 dir voters="" i
  dir=$(kafka_cluster_node_dir "$n")
  mkdir -p "$dir/data" "$dir/log"
  for i in $(kafka_cluster_nodes); do
    voters+="${voters:+,}$i@127.0.0.1:$((KAFKA_CLUSTER_CONTROLLER_PORT + i - 1))"
  done
  cat >"$dir/server.properties" <<CONF
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(kafka_cluster_node_port "$n"),CONTROLLER://127.0.0.1:$((KAFKA_CLUSTER_CONTROLLER_PORT + n - 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_cluster_node_port "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# A node killed with SIGKILL is fenced when its session lapses; a short one keeps failover fast.
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
CONF
  kafka_write_logging "$dir"
}

# The one cluster id that every node's storage is formatted with, made once.
kafka_cluster_id() {
  local file id=-
  file=$(kafka_cluster_dir)/cluster-id
  if [[ ! -s $file ]]; then
    # As for the single node: base64url of 16 random bytes, never starting with '-'.
    while [[ $id == -* ]]; do
      id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    done
    mkdir -p "$(dirname "$file")"
    printf '%s\n' "$id" >"$file"
  fi
  cat "$file"
}

# kafka_cluster_start_node N: writes node N's configuration, formats its storage once, starts it.
kafka_cluster_start_node() {
  local n=$1 dir logfile
  dir=$(kafka_cluster_node_dir "$n")
  logfile=$(kafka_cluster_node_logfile "$n")
  kafka_cluster_write_config "$n"
  if [[ ! -f $dir/data/meta.properties ]]; then
    java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$(kafka_jars)/*" \
      -Dlog4j2.configurationFile="$dir/log4j2-tools.properties" \
      kafka.tools.StorageTool format --config "$dir/server.properties" \
      --cluster-id "$(kafka_cluster_id)" >>"$logfile" 2>&1 ||
      fail_with_log "$(kafka_cluster_node "$n")" "$logfile" "formatting the KRaft storage failed" ||
      return 1
  fi
  spawn "$(kafka_cluster_node "$n")" "$logfile" java -Xms128m "-Xmx$KAFKA_CLUSTER_HEAP" \
    -XX:+UseG1GC -Djava.awt.headless=true -Dkafka.logs.dir="$dir/log" \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$(kafka_jars)/*" kafka.Kafka "$dir/server.properties"
}

# Starts the nodes that are not running (all of them, or the ones a test killed), side by
# side: formatting a node's storage is a JVM start of its own.
kafka_cluster_start() {
  local n pids=() failed=0 pid
  command -v java >/dev/null || die "brokers: java is not installed; run ci/setup"
  kafka_jars >/dev/null
  kafka_cluster_id >/dev/null
  for n in $(kafka_cluster_nodes); do
    running_pid "$(kafka_cluster_node "$n")" >/dev/null && continue
    kafka_cluster_start_node "$n" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  return "$failed"
}

kafka_cluster_node_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$(kafka_cluster_node_port "$1")") 2>/dev/null
}

kafka_cluster_wait_node() {
  wait_until "$(kafka_cluster_node "$1")" "$(kafka_cluster_node_logfile "$1")" \
    "Kafka node $1 listening on port $(kafka_cluster_node_port "$1")" kafka_cluster_node_port_open "$1"
}

kafka_cluster_wait_ready() {
  local n
  for n in $(kafka_cluster_nodes); do
    kafka_cluster_wait_node "$n" || return 1
  done
}

# Every node registered, and a topic with a replica on each of them fully in sync.
kafka_cluster_health() {
  kafka_health_java cluster "$(kafka_cluster_bootstrap)" "$KAFKA_CLUSTER_NODES"
}

# All nodes at once: one stopped after another, the last would wait in vain for a quorum
# to accept its controlled shutdown.
kafka_cluster_stop() {
  local n pids=()
  for n in $(kafka_cluster_nodes); do
    terminate "$(kafka_cluster_node "$n")" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

# The per-node commands of ci/brokers: stop-node, start-node and restart-node kafka-cluster N.
# start-node returns once the node listens and the cluster is whole again.
kafka_cluster_stop_node() {
  kafka_cluster_check_node "$1"
  terminate "$(kafka_cluster_node "$1")"
}

kafka_cluster_start_node_and_wait() {
  kafka_cluster_check_node "$1"
  if ! running_pid "$(kafka_cluster_node "$1")" >/dev/null; then
    kafka_cluster_start_node "$1" || return 1
  fi
  kafka_cluster_wait_node "$1" && kafka_cluster_health
}

kafka_cluster_restart_node() {
  kafka_cluster_stop_node "$1"
  kafka_cluster_start_node_and_wait "$1"
}
