// The amqp benchmark's postwire client: the workload of ci/bench amqp on postwire's public C++
// API, the same as bench/amqp/rabbitmq_c_bench.c runs on rabbitmq-c.
//
// One client. `count` persistent messages of `size` bytes are sent to a durable classic queue
// with publisher confirms, at most `window` unconfirmed at a time (max.in.flight); the delivery
// reports are taken from the client's event queue while sending. Then one consumer with
// prefetch `prefetch` receives them and acks each one (postwire decides how acks are batched on
// the wire). The queue is declared (and purged) first and deleted at the end.
//
// Prints one JSON line in the rabbitmq-c bench's format: throughput of each phase, the
// process's own CPU seconds (user + sys over all its threads, from getrusage) in each phase,
// p50/p99 of each DeliveryReport's send-to-report latency, and how many messages were
// confirmed and received. Exits 1 if any send failed, any message was not received, or the
// client reported an error; 2 on bad arguments or an exception.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "postwire/client.hpp"
#include "postwire/config.hpp"
#include "postwire/error.hpp"
#include "postwire/events.hpp"
#include "postwire/message.hpp"
#include "postwire/topology.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string url = "amqp://guest:guest@127.0.0.1:5672";
  std::string host;
  std::string port;
  std::string user;
  std::string pass;
  std::string queue;
  std::int64_t count = 200000;
  std::int64_t size = 100;
  std::int64_t window = 1000;
  std::int64_t prefetch = 1000;
  std::int64_t idle_timeout_s = 60;
  bool delete_only = false;
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: postwire_bench [--url amqp://user:pass@host:port/vhost] [--host H] [--port P]\n"
      "         [--user U] [--pass P] --queue NAME [--count N] [--size BYTES]\n"
      "         [--window N] [--prefetch N] [--ack-every N] [--idle-timeout S] [--delete]\n"
      "--delete only deletes the queue and exits. --ack-every is accepted for the same\n"
      "command line as rabbitmq_c_bench; postwire batches acks itself.\n",
      stderr);
  std::exit(2);
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "postwire_bench: %s\n", message.c_str());
  std::exit(2);
}

std::int64_t parse_int(std::string_view text, std::string_view name, std::int64_t min,
                       std::int64_t max) {
  std::string copy(text);
  char* end = nullptr;
  const long long value = std::strtoll(copy.c_str(), &end, 10);
  if (copy.empty() || *end != '\0' || value < min || value > max) {
    die(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
        std::to_string(max) + ", got '" + copy + "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options opt;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--delete") {
      opt.delete_only = true;
      continue;
    }
    if (arg == "--help" || i + 1 >= args.size()) usage();
    const std::string_view value = args[++i];
    constexpr std::int64_t kMax = 1'000'000'000;
    if (arg == "--url") {
      opt.url = value;
    } else if (arg == "--host") {
      opt.host = value;
    } else if (arg == "--port") {
      opt.port = std::to_string(parse_int(value, arg, 1, 65535));
    } else if (arg == "--user") {
      opt.user = value;
    } else if (arg == "--pass") {
      opt.pass = value;
    } else if (arg == "--queue") {
      opt.queue = value;
    } else if (arg == "--count") {
      opt.count = parse_int(value, arg, 1, kMax);
    } else if (arg == "--size") {
      opt.size = parse_int(value, arg, 0, 128 * 1024 * 1024);
    } else if (arg == "--window") {
      opt.window = parse_int(value, arg, 1, kMax);
    } else if (arg == "--prefetch") {
      opt.prefetch = parse_int(value, arg, 1, 65535);
    } else if (arg == "--ack-every") {
      parse_int(value, arg, 1, kMax);
    } else if (arg == "--idle-timeout") {
      opt.idle_timeout_s = parse_int(value, arg, 1, 3600);
    } else {
      usage();
    }
  }
  if (opt.queue.empty()) usage();
  // --host/--port/--user/--pass, when given, build the URL (plain amqp://, default vhost).
  if (!opt.host.empty() || !opt.port.empty() || !opt.user.empty() || !opt.pass.empty()) {
    opt.url = "amqp://" + (opt.user.empty() ? std::string("guest") : opt.user) + ":" +
              (opt.pass.empty() ? std::string("guest") : opt.pass) + "@" +
              (opt.host.empty() ? std::string("127.0.0.1") : opt.host) + ":" +
              (opt.port.empty() ? std::string("5672") : opt.port);
  }
  return opt;
}

// The process's own CPU time (user + sys, every thread) in seconds.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void set_option(postwire::Config& config, std::string_view key, std::string_view value) {
  if (const postwire::Error error = config.set(key, value)) {
    die("config " + std::string(key) + "=" + std::string(value) + ": " + error.to_string());
  }
}

// Everything the client reports on its event queue, tallied.
struct EventTally {
  std::int64_t confirmed = 0;
  std::int64_t failed = 0;
  std::int64_t errors = 0;
  std::vector<std::int64_t> latency_us;
  std::vector<postwire::Event> batch;

  // Takes the events waiting (up to `timeout` for the first); returns how many.
  std::size_t drain(postwire::Client& client, std::chrono::milliseconds timeout) {
    batch.clear();
    const std::size_t n = client.poll(batch, 4096, timeout);
    for (postwire::Event& event : batch) {
      std::visit([this](auto& e) { take(e); }, event);
    }
    return n;
  }

  void take(const postwire::DeliveryReport& report) {
    if (report.error) {
      if (failed++ < 5) {
        std::fprintf(stderr, "postwire_bench: send failed: %s\n", report.error.to_string().c_str());
      }
      return;
    }
    ++confirmed;
    latency_us.push_back(report.latency.count());
  }
  void take(const postwire::ConnectionEvent& event) {
    if (event.state == postwire::ConnectionState::recovering ||
        event.state == postwire::ConnectionState::failed) {
      ++errors;
      std::fprintf(stderr, "postwire_bench: connection to %s lost: %s\n", event.broker.c_str(),
                   event.error.to_string().c_str());
    }
  }
  void take(const postwire::ConsumerEvent& event) {
    if (event.state != postwire::ConsumerState::active) {
      ++errors;
      std::fprintf(stderr, "postwire_bench: consumer of %s stopped: %s\n", event.source.c_str(),
                   event.error.to_string().c_str());
    }
  }
  void take(const postwire::ErrorEvent& event) {
    ++errors;
    std::fprintf(stderr, "postwire_bench: %s\n", event.error.to_string().c_str());
  }
  void take(const postwire::FlowEvent& /*event*/) {}
  void take(const postwire::LogRecord& /*record*/) {}
  void take(const postwire::Delivery& /*message*/) {}       // its consumers poll their own
  void take(const postwire::AssignmentEvent& /*event*/) {}  // RabbitMQ raises none
};

int run(const Options& opt) {
  postwire::Config config;
  set_option(config, "max.in.flight", std::to_string(opt.window));
  set_option(config, "consumer.prefetch.count", std::to_string(opt.prefetch));
  set_option(config, "compression.codec", "none");

  postwire::Client client = postwire::Client::connect(opt.url, config);
  if (opt.delete_only) {
    client.delete_queue(opt.queue);
    client.close();
    return 0;
  }

  postwire::QueueSpec spec;
  spec.name = opt.queue;
  spec.durable = true;
  spec.type = postwire::QueueType::classic;
  client.declare_queue(spec);
  client.purge_queue(opt.queue);

  const std::string body(static_cast<std::size_t>(opt.size), 'x');
  const auto idle = std::chrono::seconds(opt.idle_timeout_s);
  EventTally events;
  events.latency_us.reserve(static_cast<std::size_t>(opt.count));

  // ---- publish ----
  postwire::Producer producer = client.producer();
  double cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  for (std::int64_t i = 0; i < opt.count; ++i) {
    postwire::Message message;
    message.body = body;
    message.persistent = true;
    producer.send(opt.queue, std::move(message), static_cast<std::uint64_t>(i + 1));
    if ((i & 255) == 255) events.drain(client, std::chrono::milliseconds(0));
  }
  auto last_progress = Clock::now();
  while (events.confirmed + events.failed < opt.count) {
    if (events.drain(client, std::chrono::milliseconds(200)) > 0) {
      last_progress = Clock::now();
    } else if (Clock::now() - last_progress > idle) {
      std::fprintf(stderr, "postwire_bench: no delivery report within %lld s\n",
                   static_cast<long long>(opt.idle_timeout_s));
      break;
    }
  }
  auto t1 = Clock::now();
  const double publish_cpu = cpu_seconds() - cpu0;
  const double publish_s = seconds_between(t0, t1);

  // ---- consume ----
  std::int64_t received = 0;
  cpu0 = cpu_seconds();
  t0 = Clock::now();
  {
    postwire::SubscribeOptions options;
    options.prefetch = static_cast<std::uint16_t>(opt.prefetch);
    postwire::Consumer consumer = client.subscribe(opt.queue, options);
    std::vector<postwire::Delivery> deliveries;
    deliveries.reserve(static_cast<std::size_t>(opt.prefetch));
    while (received < opt.count) {
      deliveries.clear();
      const std::size_t n =
          consumer.poll(deliveries, static_cast<std::size_t>(opt.prefetch),
                        std::chrono::duration_cast<std::chrono::milliseconds>(idle));
      if (n == 0) {
        std::fprintf(stderr, "postwire_bench: no delivery within %lld s; %lld of %lld received\n",
                     static_cast<long long>(opt.idle_timeout_s), static_cast<long long>(received),
                     static_cast<long long>(opt.count));
        break;
      }
      for (postwire::Delivery& delivery : deliveries) delivery.ack();
      received += static_cast<std::int64_t>(n);
      events.drain(client, std::chrono::milliseconds(0));
    }
    consumer.close();
  }
  t1 = Clock::now();
  const double consume_cpu = cpu_seconds() - cpu0;
  const double consume_s = seconds_between(t0, t1);

  client.delete_queue(opt.queue);
  events.drain(client, std::chrono::milliseconds(0));
  client.close();

  std::sort(events.latency_us.begin(), events.latency_us.end());
  std::printf(
      "{\"client\": \"postwire\", \"size\": %lld, \"count\": %lld, "
      "\"publish_msgs_per_s\": %.1f, \"consume_msgs_per_s\": %.1f, "
      "\"publish_cpu_s\": %.4f, \"consume_cpu_s\": %.4f, "
      "\"p50_confirm_us\": %lld, \"p99_confirm_us\": %lld, "
      "\"confirmed\": %lld, \"nacked\": %lld, \"received\": %lld, \"errors\": %lld}\n",
      static_cast<long long>(opt.size), static_cast<long long>(opt.count),
      static_cast<double>(opt.count) / publish_s, static_cast<double>(received) / consume_s,
      publish_cpu, consume_cpu, static_cast<long long>(percentile(events.latency_us, 50.0)),
      static_cast<long long>(percentile(events.latency_us, 99.0)),
      static_cast<long long>(events.confirmed), static_cast<long long>(events.failed),
      static_cast<long long>(received), static_cast<long long>(events.errors));
  std::fflush(stdout);

  const bool complete = events.confirmed == opt.count && events.failed == 0 &&
                        received == opt.count && events.errors == 0;
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_options(argc, argv);
  try {
    return run(opt);
  } catch (const postwire::Exception& e) {
    die(e.error().to_string());
  } catch (const std::exception& e) {
    die(e.what());
  }
}
