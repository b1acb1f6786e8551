// The table of every configuration option postwire accepts. Add an option here and it is
// validated, documented (docs/configuration.md is generated from this table) and passed
// through every binding unchanged. Kafka's names are used where Kafka has one.
#include <algorithm>
#include <array>

#include "postwire/config.hpp"

namespace postwire {
namespace {

constexpr std::int64_t kOneHourMs = 3'600'000;
constexpr std::array<std::string_view, 6> kLogLevels{"trace", "debug", "info",
                                                     "warn",  "error", "off"};

constexpr std::array kOptions{
    OptionSpec{
        .key = "client.id",
        .type = OptionType::string,
        .default_value = "postwire",
        .doc = "A name for this client, shown in its log records.",
    },
    OptionSpec{
        .key = "event.queue.max.events",
        .type = OptionType::integer,
        .default_value = "100000",
        .doc = "Capacity of the client's event queue (delivery reports, messages, errors, "
               "logs). When it is full, work that would add events waits or fails instead "
               "of growing memory.",
        .min = 16,
        .max = 10'000'000,
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
        .doc = "Tokens in the client's retry budget. Each retry spends tokens and each "
               "success returns some, so a broker that keeps failing is not flooded with "
               "retries. 0 disables retries.",
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
