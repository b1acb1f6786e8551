#include "transport/kafka/kafka_settings.hpp"

#include <algorithm>

#include "runtime/tls_context.hpp"

namespace postwire::kafka {
namespace {

[[noreturn]] void invalid(std::string message) {
  throw Exception(ErrorCode::config_invalid_value, std::move(message));
}

// Room around a fetch's records for the response's own fields.
constexpr std::size_t kResponseOverhead = std::size_t{1} << 20U;

}  // namespace

KafkaSettings kafka_settings(const BrokerUrl& url, const Config& config) {
  KafkaSettings settings;
  settings.bootstrap = url.hosts();
  for (auto& host : settings.bootstrap) {
    if (host.port == 0) host.port = url.tls() ? kDefaultTlsPort : kDefaultPort;
  }

  auto& connection = settings.connection;
  connection.connect.timeout = config.get_duration("socket.connection.setup.timeout.ms");
  if (url.tls()) {
    const auto tls = runtime::TlsOptions::from(config);
    connection.connect.tls = runtime::make_tls_context(tls);
    connection.connect.server_name = tls.server_name;
    connection.connect.verify_hostname = tls.verify_hostname;
  }
  connection.client_id = config.get_string("client.id");
  connection.request_timeout = config.get_duration("request.timeout.ms");
  connection.heartbeat = config.get_duration("heartbeat.interval.ms");
  const auto mechanism = config.get_string("sasl.mechanism");
  if (url.username()) {
    SaslSettings sasl;
    if (mechanism == "plain") {
      sasl.mechanism = "PLAIN";
    } else if (mechanism == "scram-sha-256") {
      sasl.mechanism = "SCRAM-SHA-256";
    } else if (mechanism == "scram-sha-512") {
      sasl.mechanism = "SCRAM-SHA-512";
    } else {
      invalid("sasl.mechanism=" + mechanism +
              " is not offered by Kafka (plain, scram-sha-256 or scram-sha-512)");
    }
    sasl.username = *url.username();
    sasl.password = url.password().value_or("");
    connection.sasl = std::move(sasl);
  } else if (mechanism == "external") {
    invalid(
        "sasl.mechanism=external is RabbitMQ's; Kafka authenticates a TLS client certificate "
        "without SASL (give tls.certificate.location and a URL without a user name)");
  }

  auto& producer = settings.producer;
  const auto acks = config.get_string("acks");
  producer.acks = acks == "all" ? std::int16_t{-1}
                  : acks == "1" ? std::int16_t{1}
                                : std::int16_t{0};
  producer.idempotent = config.get_bool("enable.idempotence");
  const auto codec = config.get_string("compression.codec");
  producer.codec = codec_from_name(codec).value_or(Codec::none);
  producer.compression_level =
      producer.codec == Codec::zstd ? static_cast<int>(config.get_int("compression.level")) : 0;
  producer.batch_size = static_cast<std::size_t>(config.get_int("batch.size"));
  producer.linger = config.get_duration("linger.ms");
  producer.max_requests_per_connection =
      static_cast<std::size_t>(config.get_int("max.in.flight.requests.per.connection"));
  producer.max_in_flight = static_cast<std::size_t>(config.get_int("max.in.flight"));
  producer.request_timeout = connection.request_timeout;
  if (producer.idempotent) {
    if (producer.acks != -1) {
      invalid("enable.idempotence=true needs acks=all (got acks=" + acks +
              "); set enable.idempotence=false for acks=" + acks);
    }
    if (producer.max_requests_per_connection > 5) {
      invalid(
          "enable.idempotence=true keeps order with at most 5 requests in flight "
          "(max.in.flight.requests.per.connection=" +
          std::to_string(producer.max_requests_per_connection) + ")");
    }
  }

  auto& fetch = settings.fetch;
  fetch.isolation_level = config.get_string("isolation.level") == "read_committed" ? 1 : 0;
  fetch.max_bytes = static_cast<std::int32_t>(config.get_int("fetch.max.bytes"));
  fetch.partition_max_bytes =
      static_cast<std::int32_t>(config.get_int("max.partition.fetch.bytes"));
  fetch.max_wait = config.get_duration("fetch.max.wait.ms");
  fetch.max_message_bytes = static_cast<std::size_t>(config.get_int("message.max.bytes"));
  connection.max_response_bytes =
      static_cast<std::size_t>(std::max(fetch.max_bytes, fetch.partition_max_bytes)) +
      fetch.max_message_bytes + kResponseOverhead;

  settings.metadata_max_age = config.get_duration("metadata.max.age.ms");
  settings.dead_letter_suffix = config.get_string("dead.letter.suffix");
  return settings;
}

}  // namespace postwire::kafka
