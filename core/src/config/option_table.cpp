// The table of every configuration option postwire accepts. Add an option here and it is
// validated, documented (docs/configuration.md is generated from this table) and passed
// through every binding unchanged. Kafka's names are used where Kafka has one.
#include <algorithm>
#include <array>

#include "postwire/config.hpp"

namespace postwire {
namespace {

constexpr std::int64_t kOneHourMs = 3'600'000;
constexpr std::int64_t kOneDayMs = 24 * kOneHourMs;
constexpr std::int64_t kMaxMessageBytes = 512LL * 1024 * 1024;
constexpr std::int64_t kMaxBufferKbytes = 64LL * 1024 * 1024;
constexpr std::array<std::string_view, 5> kCompressionCodecs{"zstd", "none", "gzip", "snappy",
                                                             "lz4"};
constexpr std::array<std::string_view, 4> kSaslMechanisms{"plain", "external", "scram-sha-256",
                                                          "scram-sha-512"};
constexpr std::array<std::string_view, 3> kAcks{"all", "1", "0"};
constexpr std::array<std::string_view, 2> kIsolationLevels{"read_committed", "read_uncommitted"};
constexpr std::array<std::string_view, 6> kLogLevels{"trace", "debug", "info",
                                                     "warn",  "error", "off"};

constexpr std::array kOptions{
    OptionSpec{
        .key = "acks",
        .type = OptionType::choice,
        .default_value = "all",
        .doc = "Kafka: which replicas must have a record before its send is confirmed: all (every "
               "in-sync replica), 1 (the partition leader) or 0 (none: confirmed once written to "
               "the socket, without offsets in the reports). The idempotent producer needs all.",
        .choices = kAcks,
    },
    OptionSpec{
        .key = "amqp.frame.max",
        .type = OptionType::integer,
        .default_value = "131072",
        .doc = "Largest AMQP frame postwire asks RabbitMQ for during the handshake; bodies are "
               "split into frames of this size. The broker may lower it.",
        .min = 8192,
        .max = 16777216,
    },
    OptionSpec{
        .key = "batch.size",
        .type = OptionType::integer,
        .default_value = "1048576",
        .doc = "Kafka: bytes of records (before compression) gathered into one batch per "
               "partition; a full batch is sent without waiting for linger.ms.",
        .min = 1,
        .max = 64LL * 1024 * 1024,
    },
    OptionSpec{
        .key = "client.id",
        .type = OptionType::string,
        .default_value = "postwire",
        .doc = "A name for this client, shown in its log records.",
    },
    OptionSpec{
        .key = "compression.codec",
        .type = OptionType::choice,
        .default_value = "zstd",
        .doc = "How messages are compressed. RabbitMQ and SQS: bodies larger than "
               "compression.threshold.bytes are compressed with zstd (the only codec of the "
               "envelope; docs/envelope.md says how other clients can read it) or not at all "
               "(none). Kafka: every record batch is compressed with the codec named (zstd, gzip, "
               "snappy, lz4 or none), as Kafka's own clients do; consumers decompress any codec.",
        .choices = kCompressionCodecs,
    },
    OptionSpec{
        .key = "compression.level",
        .type = OptionType::integer,
        .default_value = "3",
        .doc = "zstd compression level: higher compresses more and costs more CPU (Kafka's "
               "other codecs use their own default level).",
        .min = 1,
        .max = 19,
    },
    OptionSpec{
        .key = "compression.threshold.bytes",
        .type = OptionType::integer,
        .default_value = "16384",
        .doc = "Bodies larger than this are compressed (when that makes them smaller).",
        .min = 0,
        .max = kMaxMessageBytes,
    },
    OptionSpec{
        .key = "consumer.prefetch.count",
        .type = OptionType::integer,
        .default_value = "256",
        .doc = "How many unsettled messages the broker may hand one consumer at a time. Bounds the "
               "consumer's local buffer.",
        .min = 1,
        .max = 65535,
    },
    OptionSpec{
        .key = "dead.letter.suffix",
        .type = OptionType::string,
        .default_value = ".dlq",
        .doc = "Dead-lettered messages go to the source's name with this suffix (declared by "
               "postwire when first used).",
    },
    OptionSpec{
        .key = "dedup.window.size",
        .type = OptionType::integer,
        .default_value = "0",
        .doc = "How many recently processed message ids a consumer remembers. A message whose id "
               "was already acked is acked again without being handed to the application, and a "
               "copy that arrives while the consumer still has its first (buffered, or unsettled "
               "in the application's hands: a redelivery after a lost connection) waits until "
               "that one is settled, then is settled the same way. 0 turns the window off.",
        .min = 0,
        .max = 10000000,
    },
    OptionSpec{
        .key = "delivery.reports",
        .type = OptionType::boolean,
        .default_value = "true",
        .doc = "Whether each send produces a DeliveryReport event. With false, send outcomes are "
               "only counted in stats.",
    },
    OptionSpec{
        .key = "delivery.timeout.ms",
        .type = OptionType::duration_ms,
        .default_value = "120000",
        .doc = "How long postwire keeps trying to get a sent message confirmed (across retries and "
               "reconnects) before reporting it failed with delivery_timeout.",
        .min = 1,
        .max = kOneDayMs,
    },
    OptionSpec{
        .key = "enable.idempotence",
        .type = OptionType::boolean,
        .default_value = "true",
        .doc = "Kafka: the idempotent producer (a producer id and a sequence number per "
               "partition), so that a batch sent again after a lost answer is stored once and "
               "records stay in order. Needs acks=all and at most 5 requests in flight per "
               "partition.",
    },
    OptionSpec{
        .key = "event.queue.max.events",
        .type = OptionType::integer,
        .default_value = "100000",
        .doc = "Capacity of the client's event queue (delivery reports, errors, state changes, "
               "logs). send() waits (up to max.block.ms) while this many delivery reports are "
               "waiting to be polled; logs and other events beyond it are dropped and counted "
               "(stats: events_dropped) instead of growing memory.",
        .min = 16,
        .max = 10'000'000,
    },
    OptionSpec{
        .key = "fetch.max.bytes",
        .type = OptionType::integer,
        .default_value = "52428800",
        .doc = "Kafka: the most record bytes one fetch may return from one broker, across "
               "partitions (the broker may exceed it for a single batch larger than it).",
        .min = 1024,
        .max = kMaxMessageBytes,
    },
    OptionSpec{
        .key = "fetch.max.wait.ms",
        .type = OptionType::duration_ms,
        .default_value = "500",
        .doc = "Kafka: how long the broker holds a fetch while it has no records to return.",
        .min = 0,
        .max = 300'000,
    },
    OptionSpec{
        .key = "heartbeat.interval.ms",
        .type = OptionType::duration_ms,
        .default_value = "20000",
        .doc = "Heartbeat interval proposed to the broker. A connection that stays silent for two "
               "intervals is considered dead and recovered (Kafka: silent while a request waits "
               "for its answer, beyond the time a fetch may wait on purpose). 0 disables "
               "heartbeats.",
        .min = 0,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "isolation.level",
        .type = OptionType::choice,
        .default_value = "read_committed",
        .doc = "Kafka: read_committed delivers only records of committed transactions (and "
               "reads no further than the last stable offset); read_uncommitted delivers aborted "
               "transactions' records too.",
        .choices = kIsolationLevels,
    },
    OptionSpec{
        .key = "linger.ms",
        .type = OptionType::duration_ms,
        .default_value = "5",
        .doc = "Kafka: how long a partition's batch waits for more records before it is sent, "
               "unless it is full (batch.size). Longer lingers make larger batches.",
        .min = 0,
        .max = 900'000,
    },
    OptionSpec{
        .key = "log.level",
        .type = OptionType::choice,
        .default_value = "info",
        .doc = "The least severe log level delivered to the log callback or event queue. "
               "postwire never writes logs to stdout or stderr by itself.",
        .choices = kLogLevels,
    },
    OptionSpec{
        .key = "max.block.ms",
        .type = OptionType::duration_ms,
        .default_value = "60000",
        .doc = "How long send() waits while the send buffer is full or the broker blocks "
               "publishers, before failing with queue_full.",
        .min = 0,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "max.deliveries",
        .type = OptionType::integer,
        .default_value = "0",
        .doc = "Deliveries after which a message that is nacked again (or redelivered again) is "
               "dead-lettered instead. 0 means no limit.",
        .min = 0,
        .max = 1000000,
    },
    OptionSpec{
        .key = "max.in.flight",
        .type = OptionType::integer,
        .default_value = "4096",
        .doc = "Messages written to the broker and not yet confirmed, at most. Further sends wait "
               "in the send buffer.",
        .min = 1,
        .max = 1000000,
    },
    OptionSpec{
        .key = "max.in.flight.requests.per.connection",
        .type = OptionType::integer,
        .default_value = "5",
        .doc = "Kafka: produce requests sent to one broker and not yet answered, at most; the "
               "idempotent producer keeps order with up to 5.",
        .min = 1,
        .max = 1000,
    },
    OptionSpec{
        .key = "max.partition.fetch.bytes",
        .type = OptionType::integer,
        .default_value = "1048576",
        .doc = "Kafka: the most record bytes one fetch may return for one partition (the broker "
               "may exceed it for a single batch larger than it).",
        .min = 1024,
        .max = kMaxMessageBytes,
    },
    OptionSpec{
        .key = "message.max.bytes",
        .type = OptionType::integer,
        .default_value = "16777216",
        .doc = "Largest message body accepted by send() and by consumers (after decompression).",
        .min = 1,
        .max = kMaxMessageBytes,
    },
    OptionSpec{
        .key = "metadata.max.age.ms",
        .type = OptionType::duration_ms,
        .default_value = "300000",
        .doc = "Kafka: how old the cluster's metadata (brokers, partition leaders) may get "
               "before it is refreshed; errors that point at stale metadata refresh it at once.",
        .min = 1000,
        .max = kOneDayMs,
    },
    OptionSpec{
        .key = "queue.buffering.max.kbytes",
        .type = OptionType::integer,
        .default_value = "262144",
        .doc = "Send buffer capacity in KiB of bodies: messages sent and not yet confirmed or "
               "failed.",
        .min = 1,
        .max = kMaxBufferKbytes,
    },
    OptionSpec{
        .key = "queue.buffering.max.messages",
        .type = OptionType::integer,
        .default_value = "100000",
        .doc = "Send buffer capacity in messages: messages sent and not yet confirmed or failed.",
        .min = 1,
        .max = 10000000,
    },
    OptionSpec{
        .key = "queue.waiting.max.messages",
        .type = OptionType::integer,
        .default_value = "100000",
        .doc = "Sends made without waiting (send_nowait; the asyncio and Node.js packages send "
               "this way) that may wait in line while the send buffer is full, holding up to "
               "queue.buffering.max.kbytes of bodies between them; one more fails with "
               "queue_full at once.",
        .min = 1,
        .max = 10000000,
    },
    OptionSpec{
        .key = "reconnect.backoff.max.ms",
        .type = OptionType::duration_ms,
        .default_value = "5000",
        .doc = "Upper bound of the delay between reconnect attempts.",
        .min = 1,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "reconnect.backoff.ms",
        .type = OptionType::duration_ms,
        .default_value = "100",
        .doc = "Base delay before reconnecting after a connection is lost; grows exponentially "
               "with full jitter up to reconnect.backoff.max.ms.",
        .min = 1,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "request.timeout.ms",
        .type = OptionType::duration_ms,
        .default_value = "30000",
        .doc = "How long a blocking call (topology, flush at close) waits for the broker, "
               "including waiting for a reconnect.",
        .min = 1,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "retry.backoff.max.ms",
        .type = OptionType::duration_ms,
        .default_value = "1000",
        .doc = "Upper bound of the delay between retries. Delays grow exponentially from "
               "retry.backoff.ms up to this cap, with full jitter.",
        .min = 1,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "retry.backoff.ms",
        .type = OptionType::duration_ms,
        .default_value = "100",
        .doc = "Base delay before the first retry of a failed operation or reconnect.",
        .min = 1,
        .max = kOneHourMs,
    },
    OptionSpec{
        .key = "retry.budget.capacity",
        .type = OptionType::integer,
        .default_value = "500",
        .doc = "Tokens in the client's retry budget. Each retry of a send that the broker "
               "refused spends tokens and each success returns some, so a broker that keeps "
               "failing is not flooded with retries: a retry the budget cannot pay fails the "
               "message with retry_budget_exhausted. Messages written again after a reconnect "
               "are not retries and spend nothing. 0 disables retries.",
        .min = 0,
        .max = 1'000'000,
    },
    OptionSpec{
        .key = "retry.budget.retry.cost",
        .type = OptionType::integer,
        .default_value = "5",
        .doc = "Tokens one retry spends from the retry budget.",
        .min = 1,
        .max = 1'000'000,
    },
    OptionSpec{
        .key = "retry.budget.timeout.cost",
        .type = OptionType::integer,
        .default_value = "10",
        .doc = "Tokens one retry after a timeout spends from the retry budget.",
        .min = 1,
        .max = 1'000'000,
    },
    OptionSpec{
        .key = "sasl.mechanism",
        .type = OptionType::choice,
        .default_value = "plain",
        .doc = "How the client authenticates with the URL's user name and password: PLAIN sends "
               "them (over TLS for amqps and kafka+tls); SCRAM-SHA-256 and SCRAM-SHA-512 (Kafka) "
               "prove the password without sending it; EXTERNAL (RabbitMQ) uses the TLS client "
               "certificate (tls.certificate.location) instead. Kafka authenticates only when the "
               "URL has a user name.",
        .choices = kSaslMechanisms,
    },
    OptionSpec{
        .key = "send.mandatory",
        .type = OptionType::boolean,
        .default_value = "true",
        .doc = "RabbitMQ: report a message that no queue receives as failed (unroutable) instead "
               "of letting the broker drop it.",
    },
    OptionSpec{
        .key = "socket.connection.setup.timeout.ms",
        .type = OptionType::duration_ms,
        .default_value = "10000",
        .doc = "Time allowed to resolve a broker's host name, connect, and complete the TLS "
               "handshake, for each broker host tried in turn.",
        .min = 1,
        .max = 300'000,
    },
    OptionSpec{
        .key = "tls.ca.location",
        .type = OptionType::path,
        .default_value = "",
        .doc = "PEM file of the certificate authorities trusted to sign brokers' "
               "certificates. Empty: the system's default trust store.",
    },
    OptionSpec{
        .key = "tls.certificate.location",
        .type = OptionType::path,
        .default_value = "",
        .doc = "PEM file with this client's certificate chain, for brokers that require "
               "client certificates (and for AMQP's EXTERNAL mechanism). Needs "
               "tls.key.location.",
    },
    OptionSpec{
        .key = "tls.key.location",
        .type = OptionType::path,
        .default_value = "",
        .doc = "PEM file with the private key of tls.certificate.location.",
    },
    OptionSpec{
        .key = "tls.key.password",
        .type = OptionType::string,
        .default_value = "",
        .doc = "Password of an encrypted tls.key.location.",
        .secret = true,
    },
    OptionSpec{
        .key = "tls.server.name",
        .type = OptionType::string,
        .default_value = "",
        .doc = "Host name sent as SNI and checked against the broker's certificate. Empty: "
               "the host name from the broker URL.",
    },
    OptionSpec{
        .key = "tls.verify.hostname",
        .type = OptionType::boolean,
        .default_value = "true",
        .doc = "Check that the broker's certificate was issued for the host connected to. "
               "Turning this off allows man-in-the-middle attacks.",
    },
    OptionSpec{
        .key = "tls.verify.peer",
        .type = OptionType::boolean,
        .default_value = "true",
        .doc = "Verify the broker's certificate chain against the trusted CAs. Turning this "
               "off allows man-in-the-middle attacks.",
    },
};

static_assert(std::ranges::is_sorted(kOptions, {}, &OptionSpec::key),
              "kOptions must stay sorted by key");

}  // namespace

std::span<const OptionSpec> option_specs() noexcept { return kOptions; }

const OptionSpec* find_option(std::string_view key) noexcept {
  const auto* it = std::ranges::lower_bound(kOptions, key, {}, &OptionSpec::key);
  return it != kOptions.end() && it->key == key ? it : nullptr;
}

}  // namespace postwire
