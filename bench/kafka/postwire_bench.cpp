// The kafka benchmark's postwire client: the workload of ci/bench kafka on postwire's public C++
// API, the same as bench/kafka/librdkafka_bench.c runs on librdkafka.
//
// --mode produce: `count` messages of `size` bytes (no key) are sent to `topic`, which run.py
// has created, with at most `window` sent and not yet reported at a time and the given
// compression.codec; every --set KEY=VALUE goes into the client's Config (run.py passes the
// linger and batch size that the other clients use, by Kafka's names). The delivery reports are
// taken from the client's event queue while sending; each carries its send-to-report latency.
//
// --mode consume: one consumer of `topic` reads `count` messages and acks each one. run.py
// passes the subscription settings (--subscribe-set KEY=VALUE, into SubscribeOptions::settings)
// that read every partition from the earliest offset.
//
// Prints one JSON line in librdkafka_bench's format: throughput, the process's own CPU seconds
// in the phase (user + sys over all its threads, from getrusage), for produce p50/p99 of the
// send-to-report latency and how many were acked and failed. Exits 1 if any send failed, any
// message did not arrive or the client reported an error; 2 on bad arguments or an exception.

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
#include <utility>
#include <variant>
#include <vector>

#include "postwire/client.hpp"
#include "postwire/config.hpp"
#include "postwire/error.hpp"
#include "postwire/events.hpp"
#include "postwire/message.hpp"
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
using Setting = std::pair<std::string, std::string>;

struct Options {
  std::string mode = "produce";
  std::string url = "kafka://127.0.0.1:9092";
  std::string topic;
  std::string codec = "none";
  std::int64_t count = 200000;
  std::int64_t size = 100;
  std::int64_t window = 10000;
  std::int64_t idle_timeout_s = 60;
  std::vector<Setting> config;
  std::vector<Setting> subscribe;
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: postwire_bench --mode produce|consume --url kafka://HOST:PORT --topic T\n"
      "         [--count N] [--size BYTES] [--window N] [--codec none|zstd]\n"
      "         [--set KEY=VALUE]... [--subscribe-set KEY=VALUE]... [--idle-timeout S]\n",
      stderr);
  std::exit(2);
}

Setting parse_setting(std::string_view text, std::string_view name) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    die(std::string(name) + " needs KEY=VALUE, got '" + std::string(text) + "'");
  }
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

Options parse_options(int argc, char** argv) {
  Options opt;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || i + 1 >= args.size()) usage();
    const std::string_view value = args[++i];
    constexpr std::int64_t kMax = 1'000'000'000;
    if (arg == "--mode") {
      opt.mode = value;
    } else if (arg == "--url") {
      opt.url = value;
    } else if (arg == "--topic") {
      opt.topic = value;
    } else if (arg == "--codec") {
      opt.codec = value;
    } else if (arg == "--count") {
      opt.count = parse_int(value, arg, 1, kMax);
    } else if (arg == "--size") {
      opt.size = parse_int(value, arg, 0, std::int64_t{16} * 1024 * 1024);
    } else if (arg == "--window") {
      opt.window = parse_int(value, arg, 1, 1'000'000);
    } else if (arg == "--idle-timeout") {
      opt.idle_timeout_s = parse_int(value, arg, 1, 3600);
    } else if (arg == "--set") {
      opt.config.push_back(parse_setting(value, arg));
    } else if (arg == "--subscribe-set") {
      opt.subscribe.push_back(parse_setting(value, arg));
    } else {
      usage();
    }
  }
  if (opt.topic.empty() || (opt.mode != "produce" && opt.mode != "consume")) usage();
  return opt;
}

postwire::Client connect(const Options& opt) {
  postwire::Config config;
  set_option(config, "max.in.flight", std::to_string(opt.window));
  set_option(config, "compression.codec", opt.codec);
  for (const auto& [key, value] : opt.config) set_option(config, key, value);
  return postwire::Client::connect(opt.url, config);
}

int produce(const Options& opt) {
  postwire::Client client = connect(opt);
  const std::string body(static_cast<std::size_t>(opt.size), 'x');
  const auto idle = std::chrono::seconds(opt.idle_timeout_s);
  EventTally events;
  events.latency_us.reserve(static_cast<std::size_t>(opt.count));

  postwire::Producer producer = client.producer();
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  for (std::int64_t i = 0; i < opt.count; ++i) {
    // The same bounded window as the other clients: at most `window` messages sent and not
    // yet reported, so that the latency is the client's and not time spent queued.
    while (i - (events.confirmed + events.failed) >= opt.window) {
      events.drain(client, std::chrono::milliseconds(100));
    }
    postwire::Message message;
    message.body = body;
    producer.send(opt.topic, std::move(message), static_cast<std::uint64_t>(i + 1));
    if ((i & 255) == 255) events.drain(client, std::chrono::milliseconds(0));
  }
  events.await_reports(client, opt.count, idle);
  const auto t1 = Clock::now();
  const double cpu = cpu_seconds() - cpu0;
  client.close();

  std::sort(events.latency_us.begin(), events.latency_us.end());
  std::printf(
      "{\"client\": \"postwire\", \"phase\": \"produce\", \"count\": %lld, \"size\": %lld, "
      "\"codec\": \"%s\", \"msgs_per_s\": %.1f, \"cpu_s\": %.4f, \"p50_us\": %lld, "
      "\"p99_us\": %lld, \"acked\": %lld, \"failed\": %lld, \"errors\": %lld}\n",
      static_cast<long long>(opt.count), static_cast<long long>(opt.size), opt.codec.c_str(),
      static_cast<double>(opt.count) / seconds_between(t0, t1), cpu,
      static_cast<long long>(percentile(events.latency_us, 50.0)),
      static_cast<long long>(percentile(events.latency_us, 99.0)),
      static_cast<long long>(events.confirmed), static_cast<long long>(events.failed),
      static_cast<long long>(events.errors));
  std::fflush(stdout);
  return events.confirmed == opt.count && events.failed == 0 && events.errors == 0 ? 0 : 1;
}

int consume(const Options& opt) {
  postwire::Client client = connect(opt);
  const auto idle = std::chrono::seconds(opt.idle_timeout_s);
  EventTally events;
  std::int64_t received = 0;

  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  {
    postwire::SubscribeOptions options;
    options.settings = opt.subscribe;
    postwire::Consumer consumer = client.subscribe(opt.topic, options);
    std::vector<postwire::Delivery> deliveries;
    deliveries.reserve(4096);
    while (received < opt.count) {
      deliveries.clear();
      const std::size_t n = consumer.poll(
          deliveries, 4096, std::chrono::duration_cast<std::chrono::milliseconds>(idle));
      if (n == 0) {
        std::fprintf(stderr, "postwire_bench: no message within %lld s; %lld of %lld received\n",
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
  const auto t1 = Clock::now();
  const double cpu = cpu_seconds() - cpu0;
  events.drain(client, std::chrono::milliseconds(0));
  client.close();

  std::printf(
      "{\"client\": \"postwire\", \"phase\": \"consume\", \"count\": %lld, \"msgs_per_s\": %.1f, "
      "\"cpu_s\": %.4f, \"received\": %lld, \"errors\": %lld}\n",
      static_cast<long long>(opt.count), static_cast<double>(received) / seconds_between(t0, t1),
      cpu, static_cast<long long>(received), static_cast<long long>(events.errors));
  std::fflush(stdout);
  return received == opt.count && events.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_options(argc, argv);
  try {
    return opt.mode == "produce" ? produce(opt) : consume(opt);
  } catch (const postwire::Exception& e) {
    die(e.error().to_string());
  } catch (const std::exception& e) {
    die(e.what());
  }
}
