// Leader failover on the three-node Kafka cluster (ci/brokers up kafka-cluster): a topic of six
// partitions, three replicas and min.insync.replicas=2; the idempotent producer with acks=all
// (the defaults) streams 200,000 messages with unique ids while the leader of a partition is
// killed with SIGKILL, brought back, and then the partition's new leader is killed too. Every
// message must end in a report, confirmed or failed with an error that says why; reading the
// topic back from the earliest offsets finds every confirmed id exactly once, at the partition
// and offset its report named: nothing confirmed is lost, nothing is written twice.
// ci/test faults starts the cluster when kafka is in POSTWIRE_BROKERS and stops it after.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMessages = 200'000;
constexpr std::int32_t kPartitions = 6;
// The stream is spread over this long, so that both failures fall in its middle.
constexpr auto kSendOver = 40s;

std::string cluster_url() {
  const char* url = std::getenv("POSTWIRE_TEST_KAFKA_CLUSTER_URL");
  return url == nullptr ? std::string() : std::string(url);
}

std::string bootstrap_of(const std::string& url) { return url.substr(url.find("://") + 3); }

// The standard output of `/bin/sh -c script` run from the repository root; a failure of the
// command fails the test.
std::string shell_output(const std::string& script) {
  int fds[2];
  // Close-on-exec: a broker that the command starts must not hold the pipe open after it.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  const int pid = testing::spawn(
      {"/bin/sh", "-c", "cd \"$0\" && " + script, testing::repository_root()}, fds[1]);
  ::close(fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n = 0; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  EXPECT_EQ(testing::wait_for(pid), 0) << script;
  return out;
}

// The leader of `partition` of `topic` as the cluster says now, from Kafka's own topic tool
// (run from the jars the brokers run from), or -1.
int leader_of(const std::string& bootstrap, const std::string& topic, int partition) {
  const std::string out = shell_output(
      "java -Xshare:auto -XX:TieredStopAtLevel=1 -cp \"$(ci/lib/fetch-jars kafka)/*\" "
      "org.apache.kafka.tools.TopicCommand --bootstrap-server " +
      bootstrap + " --describe --topic " + topic + " 2>/dev/null");
  // Lines look like "\tTopic: T\tPartition: 0\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1".
  const std::string wanted = "Partition: " + std::to_string(partition) + "\tLeader: ";
  const auto at = out.find(wanted);
  if (at == std::string::npos) return -1;
  return std::atoi(out.c_str() + at + wanted.size());
}

void kill_node(int node) {
  const std::string pid = shell_output("ci/brokers pid kafka-cluster " + std::to_string(node));
  ASSERT_EQ(::kill(std::stoi(pid), SIGKILL), 0) << "kill -9 " << pid;
}

void start_node(int node) {
  shell_output("ci/brokers start-node kafka-cluster " + std::to_string(node) + " >&2");
}

struct Outcome {
  bool confirmed = false;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

class KafkaFailover : public ::testing::Test {
 protected:
  void SetUp() override {
    RecordProperty("broker", "kafka-cluster");
    if (!testing::broker_selected("kafka")) GTEST_SKIP() << "kafka is not in POSTWIRE_BROKERS";
    url_ = cluster_url();
    ASSERT_FALSE(url_.empty()) << "POSTWIRE_TEST_KAFKA_CLUSTER_URL is not set: start the cluster "
                                  "with ci/brokers up kafka-cluster and eval \"$(ci/brokers env "
                                  "kafka-cluster)\"";
    topic_ = testing::unique_name("failover");
    Client admin = Client::connect(url_);
    QueueSpec spec;
    spec.name = topic_;
    spec.settings = {{"partitions", std::to_string(kPartitions)},
                     {"replication.factor", "3"},
                     {"min.insync.replicas", "2"}};
    admin.declare_queue(spec);
  }

  void TearDown() override {
    if (topic_.empty()) return;
    // A node a failed test left down comes back, so that the next test finds the cluster whole.
    shell_output("ci/brokers up kafka-cluster >&2");
    try {
      Client admin = Client::connect(url_);
      admin.delete_queue(topic_);
    } catch (const Exception& e) {
      std::cerr << "could not delete " << topic_ << ": " << e.what() << "\n";
    }
  }

  std::string url_;
  std::string topic_;
};

TEST_F(KafkaFailover, killing_partition_leaders_loses_and_duplicates_nothing_confirmed) {
  const Config config = testing::make_config({
      {"linger.ms", "5"},
      {"reconnect.backoff.ms", "50"},
      {"reconnect.backoff.max.ms", "1000"},
      {"socket.connection.setup.timeout.ms", "5000"},
      {"request.timeout.ms", "15000"},
      {"delivery.timeout.ms", "300000"},
      {"max.block.ms", "120000"},
  });
  Client client = Client::connect(url_, config);
  Producer producer = client.producer();

  std::mutex mutex;
  std::map<std::string, Outcome> outcomes;  // by id, once reported
  std::vector<std::string> failures;        // the first few failed reports
  std::size_t failed = 0;
  std::atomic<std::size_t> reported{0};
  std::atomic<bool> sending{true};
  auto take = [&](std::vector<Event>& events) {
    const std::lock_guard lock(mutex);
    for (auto& event : events) {
      if (const auto* log = std::get_if<LogRecord>(&event); log && log->level >= LogLevel::info) {
        std::cerr << "log: " << log->message << "\n";
      }
      auto* report = std::get_if<DeliveryReport>(&event);
      if (report == nullptr) continue;
      Outcome& outcome = outcomes[report->id];
      if (report->error) {
        ++failed;
        if (failures.size() < 5) failures.push_back(report->error.to_string());
        EXPECT_FALSE(report->error.message().empty()) << "a failure says why";
      } else {
        outcome.confirmed = true;
        outcome.partition = report->position.partition.value_or(-1);
        outcome.offset = report->position.offset.value_or(-1);
      }
      ++reported;
    }
    events.clear();
  };
  std::atomic<std::size_t> sent{0};
  const auto started = Clock::now();
  std::thread poller([&] {
    std::vector<Event> events;
    auto progress_at = Clock::now();
    while (sending) {
      client.poll(events, 1000, 200ms);
      take(events);
      // Progress, so that a stall shows where it is.
      if (Clock::now() - progress_at >= 2s) {
        progress_at = Clock::now();
        std::cerr << std::chrono::duration_cast<std::chrono::seconds>(progress_at - started).count()
                  << " s: " << sent << " sent, " << reported << " reported\n";
      }
    }
  });

  // The failures, while the stream flows: the leader of partition 0 dies, comes back, and
  // the partition's next leader dies too; it comes back once the stream has ended.
  std::vector<std::string> timeline;
  auto note = [&](const std::string& what) {
    const auto at = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    timeline.push_back(std::to_string(at.count()) + " ms: " + what);
  };
  int second_victim = -1;
  std::thread faults([&] {
    const std::string bootstrap = bootstrap_of(url_);
    std::this_thread::sleep_until(started + 8s);
    const int first = leader_of(bootstrap, topic_, 0);
    if (first < 0) {
      ADD_FAILURE() << "no leader for partition 0";
      return;
    }
    kill_node(first);
    note("kill -9 node " + std::to_string(first) + ", leader of partition 0");
    std::this_thread::sleep_until(started + 16s);
    start_node(first);
    note("node " + std::to_string(first) + " back, the cluster whole");
    std::this_thread::sleep_until(started + 26s);
    second_victim = leader_of(bootstrap, topic_, 0);
    if (second_victim < 0) {
      ADD_FAILURE() << "no leader for partition 0 after the restart";
      return;
    }
    kill_node(second_victim);
    note("kill -9 node " + std::to_string(second_victim) + ", leader of partition 0 now");
  });

  for (std::size_t n = 0; n < kMessages; ++n) {
    std::this_thread::sleep_until(started + kSendOver * n / kMessages);
    Message message;
    message.id = "m-" + std::to_string(n);
    message.key = "key-" + std::to_string(n % 997);
    message.body = testing::random_bytes(100, static_cast<std::uint32_t>(n));
    producer.send(topic_, std::move(message));
    ++sent;
  }
  note("all sent");
  faults.join();
  try {
    producer.flush(5min);
  } catch (const Exception& e) {
    ADD_FAILURE() << "flush: " << e.what();
  }
  sending = false;
  poller.join();
  std::vector<Event> events;
  for (const auto until = Clock::now() + 10s; reported < kMessages && Clock::now() < until;) {
    client.poll(events, 1000, 200ms);
    take(events);
  }
  note("all reported");
  if (second_victim >= 0) {
    start_node(second_victim);
    note("node " + std::to_string(second_victim) + " back");
  }
  client.close();

  std::size_t confirmed = 0;
  for (const auto& [id, outcome] : outcomes) confirmed += outcome.confirmed ? 1 : 0;
  EXPECT_EQ(outcomes.size(), kMessages) << "every message ends in one report";
  EXPECT_EQ(confirmed + failed, kMessages);
  for (const auto& failure : failures) std::cerr << "failed report: " << failure << "\n";

  // Read everything back from the earliest offsets.
  Client reader_client = Client::connect(url_);
  SubscribeOptions options;
  options.settings = {{"start", "earliest"}};
  Consumer reader = reader_client.subscribe(topic_, options);
  std::map<std::string, std::vector<std::pair<std::int32_t, std::int64_t>>> seen;
  std::size_t read = 0;
  std::size_t confirmed_seen = 0;
  std::vector<Delivery> batch;
  auto last_arrival = Clock::now();
  // Until every confirmed id has come, then a few quiet seconds for copies.
  while (Clock::now() - last_arrival < (confirmed_seen < confirmed ? 30s : 3s)) {
    batch.clear();
    reader.poll(batch, 1000, 200ms);
    reader_client.poll(events, 100, 0ms);
    take(events);  // the reader's logs
    if (!batch.empty()) last_arrival = Clock::now();
    for (auto& delivery : batch) {
      const auto& position = delivery.position();
      auto& places = seen[delivery.message().id];
      places.emplace_back(position.partition.value_or(-1), position.offset.value_or(-1));
      if (places.size() == 1) {
        const auto it = outcomes.find(delivery.message().id);
        if (it != outcomes.end() && it->second.confirmed) ++confirmed_seen;
      }
      ++read;
      delivery.ack();
    }
  }
  reader.close();
  reader_client.close();

  std::size_t lost = 0;
  std::size_t duplicated = 0;
  std::size_t misplaced = 0;
  for (const auto& [id, outcome] : outcomes) {
    if (!outcome.confirmed) continue;
    const auto it = seen.find(id);
    if (it == seen.end()) {
      if (lost++ < 5) ADD_FAILURE() << "confirmed and never read: " << id;
      continue;
    }
    const auto& [partition, offset] = it->second.front();
    if (partition != outcome.partition || offset != outcome.offset) {
      if (misplaced++ < 5) {
        ADD_FAILURE() << id << " was reported at " << outcome.partition << "/" << outcome.offset
                      << " and read at " << partition << "/" << offset;
      }
    }
  }
  for (const auto& [id, places] : seen) {
    if (places.size() > 1 && duplicated++ < 5) {
      ADD_FAILURE() << id << " was written " << places.size() << " times";
    }
  }
  // Per partition: confirmed there, and read back from there.
  std::map<std::int32_t, std::pair<std::size_t, std::size_t>> per_partition;
  for (const auto& [id, outcome] : outcomes) {
    if (outcome.confirmed) ++per_partition[outcome.partition].first;
  }
  for (const auto& [id, places] : seen) ++per_partition[places.front().first].second;
  for (const auto& [partition, counts] : per_partition) {
    std::cerr << "partition " << partition << ": " << counts.first << " confirmed, "
              << counts.second << " read\n";
  }
  std::cerr << "timeline:\n";
  for (const auto& line : timeline) std::cerr << "  " << line << "\n";
  std::cerr << kMessages << " sent, " << confirmed << " confirmed, " << failed << " failed; "
            << read << " read back: " << lost << " lost, " << duplicated << " duplicated, "
            << misplaced << " not where reported\n";
  EXPECT_EQ(lost, 0U);
  EXPECT_EQ(duplicated, 0U);
  EXPECT_EQ(misplaced, 0U);
}

}  // namespace
}  // namespace postwire
