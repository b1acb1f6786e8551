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
#include "postwire_bench_support.hpp"

namespace {

using postwire_bench::Clock;
using postwire_bench::cpu_seconds;
using postwire_bench::die;
using postwire_bench::EventTally;
using postwire_bench::parse_int;
using postwire_bench::percentile;
using postwire_bench::seconds_between;
using postwire_bench::set_option;

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
  events.await_reports(client, opt.count, idle);
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
