# The SQS server for ci/brokers: ElasticMQ, run from the jars that ci/lib/fetch-jars resolves
# from Maven Central. It speaks SQS's JSON protocol, FIFO queues and redrive policies.
# Sourced by ci/brokers.
# shellcheck shell=bash

SQS_PORT=${POSTWIRE_SQS_PORT:-49324}
SQS_REGION=us-east-1

sqs_dir() { printf '%s/sqs\n' "$BROKERS_DIR"; }
sqs_logfile() { printf '%s/log/server.out\n' "$(sqs_dir)"; }
sqs_url() { printf 'sqs+http://127.0.0.1:%s?region=%s\n' "$SQS_PORT" "$SQS_REGION"; }
sqs_jars() { "$POSTWIRE_ROOT/ci/lib/fetch-jars" sqs; }
sqs_version() { basename "$(ls "$(sqs_jars)"/elasticmq-server_2.13-*.jar)" .jar | sed 's/^elasticmq-server_2.13-//'; }
sqs_describe() { printf 'ElasticMQ %s on 127.0.0.1:%s' "$(sqs_version)" "$SQS_PORT"; }

sqs_start() {
  local dir
  dir=$(sqs_dir)
  command -v java >/dev/null || die "brokers: java is not installed; run ci/setup"
  sqs_jars >/dev/null
  mkdir -p "$dir/data" "$dir/log"
  cat >"$dir/elasticmq.conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = 127.0.0.1, port = $SQS_PORT, context-path = "" }
rest-sqs { enabled = true, bind-port = $SQS_PORT, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
aws { region = $SQS_REGION, accountId = "000000000000" }
messages-storage { enabled = true, uri = "jdbc:h2:$dir/data/messages" }
CONF
  spawn sqs "$(sqs_logfile)" java -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dconfig.file="$dir/elasticmq.conf" -cp "$(sqs_jars)/*" org.elasticmq.server.Main
}

sqs_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$SQS_PORT") 2>/dev/null; }

sqs_wait_ready() {
  wait_until sqs "$(sqs_logfile)" "ElasticMQ listening on port $SQS_PORT" sqs_port_open
}

# Creates, finds and deletes a queue through boto3, as an SQS client would.
sqs_health() {
  POSTWIRE_SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" POSTWIRE_SQS_REGION=$SQS_REGION \
    "$POSTWIRE_CACHE_DIR/venv/bin/python" "$POSTWIRE_ROOT/ci/lib/sqs_health.py"
}

sqs_stop() { terminate sqs; }
