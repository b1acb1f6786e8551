#include "conformance/scenario.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <variant>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace postwire::testing {

std::string unique_name(std::string_view tag) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}() % 1'000'000U;
  return "pw-conf-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter++) + "-" + std::to_string(salt);
}

Config make_config(std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  Config config;
  for (const auto& [key, value] : values) {
    const Error error = config.set(key, value);
    EXPECT_FALSE(error) << "Config::set(" << key << ", " << value
                        << ") failed: " << error.to_string();
  }
  return config;
}

std::string random_bytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(byte(generator));
  }
  return out;
}

std::string describe(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, DeliveryReport>) {
          return "DeliveryReport{token=" + std::to_string(e.token) + ", id=" + e.id +
                 ", destination=" + e.destination + ", error=" + e.error.to_string() + "}";
        } else if constexpr (std::is_same_v<T, ConnectionEvent>) {
          return "ConnectionEvent{state=" + std::to_string(static_cast<int>(e.state)) +
                 ", broker=" + e.broker + ", error=" + e.error.to_string() + "}";
        } else if constexpr (std::is_same_v<T, FlowEvent>) {
          return std::string("FlowEvent{blocked=") + (e.blocked ? "true" : "false") +
                 ", reason=" + e.reason + "}";
        } else if constexpr (std::is_same_v<T, ConsumerEvent>) {
          return "ConsumerEvent{source=" + e.source +
                 ", state=" + std::to_string(static_cast<int>(e.state)) +
                 ", error=" + e.error.to_string() + "}";
        } else if constexpr (std::is_same_v<T, ErrorEvent>) {
          return "ErrorEvent{" + e.error.to_string() + "}";
        } else if constexpr (std::is_same_v<T, Delivery>) {
          return "Delivery{source=" + e.source() + ", id=" + e.message().id + "}";
        } else if constexpr (std::is_same_v<T, AssignmentEvent>) {
          return std::string("AssignmentEvent{source=") + e.source +
                 (e.assigned ? ", assigned " : ", revoked ") + std::to_string(e.partitions.size()) +
                 " partitions}";
        } else {
          return "LogRecord{" + e.category + ": " + e.message + "}";
        }
      },
      event);
}

std::string header_or_fail(const Message& message, std::string_view name) {
  const std::string* value = message.header(name);
  if (value == nullptr) {
    ADD_FAILURE() << "message " << message.id << " has no header " << name
                  << "; headers: " << describe(message.headers);
    return {};
  }
  return *value;
}

Headers application_headers(const Message& message) {
  Headers out;
  for (const auto& header : message.headers) {
    if (!header.name.starts_with("pw-")) {
      out.push_back(header);
    }
  }
  return out;
}

bool same_headers(const Headers& a, const Headers& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) {
      return false;
    }
  }
  return true;
}

std::string describe(const Headers& headers) {
  std::string out = "[";
  for (const auto& header : headers) {
    out += (out.size() > 1 ? ", " : "") + header.name + "=" + std::to_string(header.value.size()) +
           " bytes";
  }
  return out + "]";
}

std::vector<DeliveryReport> await_reports(Client& client, std::size_t count,
                                          std::chrono::milliseconds timeout,
                                          std::vector<Event>* others) {
  std::vector<DeliveryReport> reports;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<Event> events;
  while (reports.size() < count && std::chrono::steady_clock::now() < deadline) {
    events.clear();
    client.poll(events, 1000, 100ms);
    for (auto& event : events) {
      if (auto* report = std::get_if<DeliveryReport>(&event)) {
        reports.push_back(std::move(*report));
      } else if (others != nullptr) {
        others->push_back(std::move(event));
      }
    }
  }
  EXPECT_EQ(reports.size(), count) << "delivery reports within " << timeout.count() << " ms";
  return reports;
}

std::vector<std::string> send_confirmed(Client& client, const std::string& destination,
                                        std::vector<Message> messages,
                                        std::chrono::milliseconds timeout) {
  Producer producer = client.producer();
  std::vector<std::string> ids;
  std::uint64_t token = 0;
  for (auto& message : messages) {
    ids.push_back(producer.send(destination, std::move(message), ++token));
  }
  producer.flush(timeout);
  const auto reports = await_reports(client, ids.size(), timeout);
  for (const auto& report : reports) {
    EXPECT_FALSE(report.error) << "message " << report.id << " to " << destination
                               << " failed: " << report.error.to_string();
    if (report.token >= 1 && report.token <= ids.size()) {
      EXPECT_EQ(report.id, ids[report.token - 1]) << "report id for token " << report.token;
    } else {
      ADD_FAILURE() << "report with unknown token " << report.token;
    }
  }
  return ids;
}

Consumer subscribe_when_declared(Client& client, const std::string& queue,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      return client.subscribe(queue);
    } catch (const Exception& e) {
      if (e.code() != ErrorCode::not_found || std::chrono::steady_clock::now() > deadline) {
        throw;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
}

std::vector<Delivery> receive(Consumer& consumer, std::size_t count,
                              std::chrono::milliseconds timeout) {
  std::vector<Delivery> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) {
      break;
    }
    consumer.poll(out, count - out.size(), std::min<std::chrono::milliseconds>(left, 500ms));
  }
  return out;
}

void expect_no_delivery(Consumer& consumer, std::chrono::milliseconds quiet,
                        std::string_view what) {
  std::optional<Delivery> delivery = consumer.poll(quiet);
  if (delivery) {
    ADD_FAILURE() << what << ": unexpected delivery of " << delivery->message().id
                  << " (delivery_count " << delivery->delivery_count() << ")";
    delivery->ack();
  }
}

void expect_queue_empty(Client& client, const QueueSpec& spec) {
  std::uint32_t count = 0;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {
    count = client.declare_queue(spec).message_count;
    if (count == 0) {
      return;
    }
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ADD_FAILURE() << "queue " << spec.name << " still holds " << count << " messages";
}

void expect_acked_messages_gone(Client& client, const QueueSpec& spec) {
  if (!client.capabilities().partitions) {
    expect_queue_empty(client, spec);
  }
}

int spawn(const std::vector<std::string>& argv, int stdout_fd) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));  // posix_spawn does not write them
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  }
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return pid;
}

int wait_for(int pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

std::string repository_root() {
  const char* root = std::getenv("POSTWIRE_ROOT");
  if (root != nullptr && *root != '\0') {
    return root;
  }
  return POSTWIRE_SOURCE_DIR;
}

namespace {

// consume URL QUEUE COUNT: subscribes with prefetch 50, receives COUNT messages without
// settling them, prints "received <id>" for each and then "ready", and waits to be killed.
int run_consume_child(const std::string& url, const std::string& queue, std::size_t count) {
  try {
    Client client = Client::connect(url);
    Consumer consumer = client.subscribe(queue, SubscribeOptions{.prefetch = 50});
    std::vector<Delivery> held;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (held.size() < count && std::chrono::steady_clock::now() < deadline) {
      if (auto delivery = consumer.poll(500ms)) {
        std::cout << "received " << delivery->message().id << "\n";
        held.push_back(std::move(*delivery));
      }
    }
    std::cout << (held.size() == count ? "ready" : "short") << std::endl;
    while (true) {
      ::pause();  // the parent kills this process with SIGKILL
    }
  } catch (const std::exception& e) {
    std::cout << "error " << e.what() << std::endl;
    return 1;
  }
}

}  // namespace

int run_child(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  if (args.size() == 4 && args[0] == "consume") {
    return run_consume_child(args[1], args[2], std::stoul(args[3]));
  }
  std::cerr << "unknown conformance child command\n";
  return 2;
}

namespace {

struct UrlParts {
  std::string scheme;    // "amqp://"
  std::string userinfo;  // "user:password" (without '@'), may be empty
  std::string host;      // "127.0.0.1"
  std::string port;      // "45672", may be empty
  std::string rest;      // "/vhost?query", may be empty
};

UrlParts split_url(const std::string& url) {
  UrlParts parts;
  std::size_t pos = url.find("://");
  pos = pos == std::string::npos ? 0 : pos + 3;
  parts.scheme = url.substr(0, pos);
  std::size_t end = url.find_first_of("/?", pos);
  if (end == std::string::npos) {
    end = url.size();
  }
  std::string authority = url.substr(pos, end - pos);
  parts.rest = url.substr(end);
  const std::size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    parts.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    parts.host = authority.substr(0, colon);
    parts.port = authority.substr(colon + 1);
  } else {
    parts.host = authority;
  }
  return parts;
}

std::string join_url(const UrlParts& parts) {
  std::string out = parts.scheme;
  if (!parts.userinfo.empty()) {
    out += parts.userinfo + "@";
  }
  out += parts.host;
  if (!parts.port.empty()) {
    out += ":" + parts.port;
  }
  return out + parts.rest;
}

}  // namespace

std::string url_with_password(const std::string& url, std::string_view password) {
  UrlParts parts = split_url(url);
  const std::string user = parts.userinfo.substr(0, parts.userinfo.find(':'));
  parts.userinfo = (user.empty() ? std::string("guest") : user) + ":" + std::string(password);
  return join_url(parts);
}

std::string url_with_path(const std::string& url, std::string_view path) {
  UrlParts parts = split_url(url);
  const std::size_t query = parts.rest.find('?');
  parts.rest = std::string(path) + (query == std::string::npos ? "" : parts.rest.substr(query));
  return join_url(parts);
}

std::string url_with_port(const std::string& url, std::string_view port) {
  UrlParts parts = split_url(url);
  parts.port = port;
  return join_url(parts);
}

std::string url_without_credentials(const std::string& url) {
  UrlParts parts = split_url(url);
  parts.userinfo.clear();
  return join_url(parts);
}

void Scenario::SetUp() {
  RecordProperty("broker", GetParam());
  url_ = broker_url(GetParam());
  ASSERT_FALSE(url_.empty());
}

void Scenario::TearDown() {
  if (queues_.empty() && exchanges_.empty()) {
    return;
  }
  try {
    Client admin = Client::connect(url_);
    for (const auto& queue : queues_) {
      try {
        admin.delete_queue(queue);
      } catch (const Exception& e) {
        if (e.code() != ErrorCode::not_found) {
          ADD_FAILURE() << "cleanup: deleting queue " << queue << ": " << e.what();
        }
      }
    }
    for (const auto& exchange : exchanges_) {
      try {
        admin.delete_exchange(exchange);
      } catch (const Exception& e) {
        if (e.code() != ErrorCode::not_found) {
          ADD_FAILURE() << "cleanup: deleting exchange " << exchange << ": " << e.what();
        }
      }
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleanup: " << e.what();
  }
}

Client Scenario::connect(const Config& config) const { return Client::connect(url_, config); }

std::string Scenario::queue_name(std::string_view tag) {
  std::string name = unique_name(tag);
  queues_.push_back(name);
  queues_.push_back(name + ".dlq");
  return name;
}

std::string Scenario::exchange_name(std::string_view tag) {
  std::string name = unique_name(tag);
  exchanges_.push_back(name);
  return name;
}

QueueSpec Scenario::declare_queue(Client& client, const std::string& name) {
  QueueSpec spec;
  spec.name = name;
  client.declare_queue(spec);
  return spec;
}

std::string broker_param_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace postwire::testing
