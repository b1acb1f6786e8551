# Apache Kafka for ci/brokers: one KRaft node in combined broker+controller mode, run from the
# jars that ci/lib/fetch-jars resolves from Maven Central. Sourced by ci/brokers.
# shellcheck shell=bash

KAFKA_PORT=${POSTWIRE_KAFKA_PORT:-49092}
KAFKA_CONTROLLER_PORT=${POSTWIRE_KAFKA_CONTROLLER_PORT:-49093}
# A second client listener that advertises the fault proxy's address (ci/lib/broker-proxy.sh)
# instead of its own, so that clients which bootstrap through the proxy stay behind it.
KAFKA_PROXIED_PORT=${POSTWIRE_KAFKA_PROXIED_PORT:-49094}
KAFKA_HEAP=${POSTWIRE_KAFKA_HEAP:-768m}

kafka_dir() { printf '%s/kafka\n' "$BROKERS_DIR"; }
kafka_logfile() { printf '%s/log/server.out\n' "$(kafka_dir)"; }
kafka_url() { printf 'kafka://127.0.0.1:%s\n' "$KAFKA_PORT"; }
kafka_jars() { "$POSTWIRE_ROOT/ci/lib/fetch-jars" kafka; }
kafka_version() { basename "$(ls "$(kafka_jars)"/kafka_2.13-*.jar)" .jar | sed 's/^kafka_2.13-//'; }
kafka_describe() { printf 'Apache Kafka %s (KRaft) on 127.0.0.1:%s' "$(kafka_version)" "$KAFKA_PORT"; }

# kafka_java [JVM OPTION...] CLASS ARGS...: runs a class from the Kafka jars.
kafka_java() {
  java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$(kafka_jars)/*" \
    -Dlog4j2.configurationFile="$(kafka_dir)/log4j2-tools.properties" "$@"
}

kafka_write_config() {
  local dir
  dir=$(kafka_dir)
  mkdir -p "$dir/data" "$dir/log"
  cat >"$dir/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,PROXIED://127.0.0.1:$KAFKA_PROXIED_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,PROXIED://127.0.0.1:$KAFKA_PROXY_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
CONF
  cat >"$dir/log4j2.properties" <<CONF
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
CONF
  cat >"$dir/log4j2-tools.properties" <<CONF
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = ERR
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m%n
CONF
}

kafka_start() {
  local dir cluster_id
  dir=$(kafka_dir)
  command -v java >/dev/null || die "brokers: java is not installed; run ci/setup"
  kafka_jars >/dev/null
  kafka_write_config
  if [[ ! -f $dir/data/meta.properties ]]; then
    # KRaft storage is formatted once, with a fresh cluster id: 16 random bytes in base64url.
    # Like Kafka's own Uuid.randomUuid(), never one that starts with '-', which the tool's
    # argument parser would take for an option.
    cluster_id=-
    while [[ $cluster_id == -* ]]; do
      cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    done
    kafka_java kafka.tools.StorageTool format --config "$dir/server.properties" \
      --cluster-id "$cluster_id" >>"$(kafka_logfile)" 2>&1 ||
      fail_with_log kafka "$(kafka_logfile)" "formatting the KRaft storage failed" || return 1
  fi
  spawn kafka "$(kafka_logfile)" java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC \
    -Djava.awt.headless=true -Dkafka.logs.dir="$dir/log" \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$(kafka_jars)/*" kafka.Kafka "$dir/server.properties"
}

kafka_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; }

kafka_wait_ready() {
  wait_until kafka "$(kafka_logfile)" "Kafka listening on port $KAFKA_PORT" kafka_port_open
}

kafka_topics() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" "$@"
}

# Creates and deletes a topic, as a client's admin calls would.
kafka_health() {
  local topic=postwire-health-$$
  kafka_topics --create --topic "$topic" --partitions 1 --replication-factor 1 >/dev/null &&
    kafka_topics --describe --topic "$topic" | grep -q "Topic: $topic" &&
    kafka_topics --delete --topic "$topic" >/dev/null
}

kafka_stop() { terminate kafka; }
