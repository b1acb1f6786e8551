# Apache Kafka for ci/brokers: one KRaft node in combined broker+controller mode, run from the
# jars that ci/lib/fetch-jars resolves from Maven Central (Kafka 4.4, which runs on Java 17).
# Besides plain Kafka it listens for SASL over TLS (a throw-away test CA made once under
# kafka/tls/, ci/lib/test-ca.sh) and for SASL without TLS, with PLAIN, SCRAM-SHA-256 and
# SCRAM-SHA-512 for the user postwire and a password generated once (kafka/sasl-password).
# Sourced by ci/brokers; ci/lib/broker-kafka-cluster.sh shares its helpers.
# shellcheck shell=bash

KAFKA_PORT=${POSTWIRE_KAFKA_PORT:-49092}
KAFKA_CONTROLLER_PORT=${POSTWIRE_KAFKA_CONTROLLER_PORT:-49093}
# A second client listener that advertises the fault proxy's address (ci/lib/broker-proxy.sh)
# instead of its own, so that clients which bootstrap through the proxy stay behind it.
KAFKA_PROXIED_PORT=${POSTWIRE_KAFKA_PROXIED_PORT:-49094}
# SASL_PLAINTEXT and SASL_SSL listeners, both with PLAIN and SCRAM.
KAFKA_SASL_PORT=${POSTWIRE_KAFKA_SASL_PORT:-49095}
KAFKA_TLS_PORT=${POSTWIRE_KAFKA_TLS_PORT:-49096}
KAFKA_HEAP=${POSTWIRE_KAFKA_HEAP:-768m}
KAFKA_SASL_USER=postwire
KAFKA_SASL_MECHANISMS=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512

kafka_dir() { printf '%s/kafka\n' "$BROKERS_DIR"; }
kafka_logfile() { printf '%s/log/server.out\n' "$(kafka_dir)"; }
kafka_url() { printf 'kafka://127.0.0.1:%s\n' "$KAFKA_PORT"; }
kafka_jars() { "$POSTWIRE_ROOT/ci/lib/fetch-jars" kafka; }
kafka_version() { basename "$(ls "$(kafka_jars)"/kafka_2.13-*.jar)" .jar | sed 's/^kafka_2.13-//'; }
kafka_describe() {
  printf 'Apache Kafka %s (KRaft) on 127.0.0.1:%s, SASL on %s, SASL over TLS on %s' \
    "$(kafka_version)" "$KAFKA_PORT" "$KAFKA_SASL_PORT" "$KAFKA_TLS_PORT"
}
kafka_tls_dir() { printf '%s/tls\n' "$(kafka_dir)"; }
kafka_password_file() { printf '%s/sasl-password\n' "$(kafka_dir)"; }

# The SASL user's password: random, made once and kept with the node's data.
kafka_sasl_password() {
  local file
  file=$(kafka_password_file)
  if [[ ! -s $file ]]; then
    mkdir -p "$(dirname "$file")"
    (umask 077 && openssl rand -hex 16 >"$file.tmp.$$" && mv "$file.tmp.$$" "$file")
  fi
  cat "$file"
}

# The variables besides POSTWIRE_TEST_KAFKA_URL that 'ci/brokers env' exports for Kafka.
kafka_env_extra() {
  local tls
  tls=$(kafka_tls_dir)
  printf '%s=%s\n' \
    KAFKA_TLS_URL "kafka+tls://127.0.0.1:$KAFKA_TLS_PORT" \
    KAFKA_SASL_URL "kafka://127.0.0.1:$KAFKA_SASL_PORT" \
    KAFKA_TLS_CA "$tls/ca.pem" \
    KAFKA_OTHER_CA "$tls/other-ca.pem" \
    KAFKA_SASL_USER "$KAFKA_SASL_USER" \
    KAFKA_SASL_PASSWORD "$(kafka_sasl_password)" \
    KAFKA_DATA_DIR "$(kafka_dir)/data"
}

# kafka_java [JVM OPTION...] CLASS ARGS...: runs a class from the Kafka jars.
kafka_java() {
  java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$(kafka_jars)/*" \
    -Dlog4j2.configurationFile="$(kafka_dir)/log4j2-tools.properties" "$@"
}

# kafka_write_logging DIR: the broker's log4j2 configuration (INFO to the console, which
# spawn sends to the log file) and the tools' (warnings only, to stderr).
kafka_write_logging() {
  local dir=$1
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

kafka_write_config() {
  local dir tls password
  dir=$(kafka_dir)
  tls=$(kafka_tls_dir)
  password=$(kafka_sasl_password)
  mkdir -p "$dir/data" "$dir/log"
  # Kafka reads a PEM key store as one file: the private key (PKCS#8), then the certificate.
  (umask 077 && cat "$tls/server-key.pem" "$tls/server.pem" >"$dir/server-keystore.pem")
  (umask 077 && cat >"$dir/server.properties") <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,PROXIED://127.0.0.1:$KAFKA_PROXIED_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT,SASL_SSL://127.0.0.1:$KAFKA_TLS_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,PROXIED://127.0.0.1:$KAFKA_PROXY_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT,SASL_SSL://127.0.0.1:$KAFKA_TLS_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=$KAFKA_SASL_MECHANISMS
# PLAIN checks against the users listed here; SCRAM against the credentials in the KRaft
# metadata (added when the storage is formatted, or by KafkaHealth add-scram).
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$password";
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$password";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$dir/server-keystore.pem
listener.name.sasl_ssl.ssl.client.auth=none
listener.name.sasl_ssl.ssl.enabled.protocols=TLSv1.3,TLSv1.2
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
# The conformance suite sends 1 MiB bodies (as RabbitMQ takes them); Kafka's default cap on a
# record batch is 1 MB.
message.max.bytes=8388608
group.initial.rebalance.delay.ms=0
CONF
  kafka_write_logging "$dir"
}

kafka_start() {
  local dir cluster_id password
  dir=$(kafka_dir)
  command -v java >/dev/null || die "brokers: java is not installed; run ci/setup"
  kafka_jars >/dev/null
  test_ca_generate "$(kafka_tls_dir)" kafka
  kafka_write_config
  if [[ ! -f $dir/data/meta.properties ]]; then
    # KRaft storage is formatted once, with a fresh cluster id: 16 random bytes in base64url.
    # Like Kafka's own Uuid.randomUuid(), never one that starts with '-', which the tool's
    # argument parser would take for an option.
    cluster_id=-
    while [[ $cluster_id == -* ]]; do
      cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    done
    # The SCRAM credentials go into the first metadata records, so that the broker accepts
    # SCRAM logins as soon as it listens.
    password=$(kafka_sasl_password)
    kafka_java kafka.tools.StorageTool format --config "$dir/server.properties" \
      --cluster-id "$cluster_id" \
      --add-scram "SCRAM-SHA-256=[name=$KAFKA_SASL_USER,password=$password]" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_SASL_USER,password=$password]" \
      >>"$(kafka_logfile)" 2>&1 ||
      fail_with_log kafka "$(kafka_logfile)" "formatting the KRaft storage failed" || return 1
    cp "$(kafka_password_file)" "$dir/data/scram-password"
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

# kafka_health_java ARG...: ci/lib/KafkaHealth.java on the Kafka jars, compiled once into the
# cache (a folder named after a hash of the source) rather than at every call.
kafka_health_java() {
  local source=$POSTWIRE_ROOT/ci/lib/KafkaHealth.java classes jars
  jars=$(kafka_jars)
  classes=$POSTWIRE_CACHE_DIR/classes/kafka-health-$(cat "$source" <(printf '%s' "$jars") | sha256sum | cut -c1-12)
  if [[ ! -f $classes/KafkaHealth.class ]]; then
    mkdir -p "$classes.tmp.$$"
    javac -nowarn -d "$classes.tmp.$$" -cp "$jars/*" "$source" >&2 || { rm -rf "$classes.tmp.$$"; return 1; }
    # The checks that expect a refusal would fill the log with the client's stack traces; the
    # program names what failed itself.
    printf 'rootLogger.level = OFF\n' >"$classes.tmp.$$/log4j2-quiet.properties"
    rm -rf "$classes"
    mv "$classes.tmp.$$" "$classes"
  fi
  java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$classes:$jars/*" \
    -Dlog4j2.configurationFile="$classes/log4j2-quiet.properties" KafkaHealth "$@"
}

# Storage formatted before the broker had SCRAM users (or with another password) gets the
# user's credentials through the Admin API, once.
kafka_ensure_scram() {
  local dir
  dir=$(kafka_dir)
  cmp -s "$(kafka_password_file)" "$dir/data/scram-password" && return 0
  kafka_health_java add-scram "127.0.0.1:$KAFKA_PORT" "$KAFKA_SASL_USER" "$(kafka_password_file)" &&
    cp "$(kafka_password_file)" "$dir/data/scram-password"
}

# A topic created, described and deleted over the plain listener, as a client's admin calls
# would; a login with each SASL mechanism over each SASL listener; a wrong password refused;
# and a CA that did not issue the server's certificate refused. One JVM does it all.
kafka_health() {
  local tls
  tls=$(kafka_tls_dir)
  kafka_ensure_scram &&
    kafka_health_java single "127.0.0.1:$KAFKA_PORT" "127.0.0.1:$KAFKA_SASL_PORT" \
      "127.0.0.1:$KAFKA_TLS_PORT" "$tls/ca.pem" "$tls/other-ca.pem" "$KAFKA_SASL_USER" \
      "$(kafka_password_file)"
}

kafka_stop() { terminate kafka; }
