// main() of the conformance executables: GoogleTest plus a listener that records every
// result per broker and scenario in $POSTWIRE_CONFORMANCE_RESULTS_DIR/results-<executable>.json,
// from which ci/lib/capabilities.py writes docs/capabilities.md. The binary also serves as
// the helper process some scenarios start (see run_child).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/brokers.hpp"
#include "conformance/scenario.hpp"

namespace postwire::testing {
namespace {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr std::string_view hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[static_cast<unsigned char>(c) >> 4U];
          out += hex[static_cast<unsigned char>(c) & 0xFU];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The file holds one JSON object; each result sits on a line of its own starting with
// `{"suite": `, so that the processes ctest starts (one per test, possibly in parallel) can
// merge their results line by line under a lock, a newer result replacing an older one of the
// same suite, scenario and broker.
class ResultsListener : public ::testing::EmptyTestEventListener {
 public:
  explicit ResultsListener(std::string executable) : executable_(std::move(executable)) {}

  void OnTestEnd(const ::testing::TestInfo& info) override {
    const ::testing::TestResult& result = *info.result();
    std::string suite = info.test_suite_name();  // "Scenarios/RoundTrip"
    std::string scenario = info.name();          // "binary_bodies/amqp"
    std::string broker;
    for (int i = 0; i < result.test_property_count(); ++i) {
      const ::testing::TestProperty& property = result.GetTestProperty(i);
      if (std::string_view(property.key()) == "broker") {
        broker = property.value();
      }
    }
    if (info.value_param() != nullptr) {
      const std::size_t slash = scenario.rfind('/');
      if (slash != std::string::npos) {
        if (broker.empty()) {
          broker = scenario.substr(slash + 1);
        }
        scenario.resize(slash);
      }
    }
    if (const std::size_t slash = suite.find('/'); slash != std::string::npos) {
      suite = suite.substr(slash + 1);
    }
    const char* outcome = result.Skipped() ? "skipped" : result.Passed() ? "passed" : "failed";
    const std::string key = "{\"suite\": " + json_string(suite) +
                            ", \"scenario\": " + json_string(scenario) +
                            ", \"broker\": " + json_string(broker) + ", ";
    lines_[key] = key + "\"outcome\": " + json_string(outcome) +
                  ", \"duration_ms\": " + std::to_string(result.elapsed_time()) + "}";
  }

  void OnTestProgramEnd(const ::testing::UnitTest& /*unit*/) override {
    if (lines_.empty()) {
      return;
    }
    try {
      write();
    } catch (const std::exception& e) {
      std::cerr << "conformance results not written: " << e.what() << "\n";
    }
  }

 private:
  void write() {
    const char* env = std::getenv("POSTWIRE_CONFORMANCE_RESULTS_DIR");
    const std::filesystem::path dir =
        env != nullptr && *env != '\0' ? env : POSTWIRE_CONFORMANCE_RESULTS_DEFAULT_DIR;
    std::filesystem::create_directories(dir);
    const std::filesystem::path file = dir / ("results-" + executable_ + ".json");
    const std::filesystem::path lock_path = dir / ("results-" + executable_ + ".lock");
    const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
      throw std::runtime_error("cannot lock " + lock_path.string());
    }
    std::map<std::string, std::string> merged;
    {
      std::ifstream in(file);
      std::string line;
      while (std::getline(in, line)) {
        if (!line.starts_with("{\"suite\": ")) {
          continue;
        }
        if (line.ends_with(",")) {
          line.pop_back();
        }
        // The key ends after the broker field: `..., "broker": "amqp", `.
        const std::size_t broker = line.find("\"broker\": ");
        const std::size_t end = broker == std::string::npos ? broker : line.find(", ", broker);
        if (end != std::string::npos) {
          merged[line.substr(0, end + 2)] = line;
        }
      }
    }
    for (const auto& [key, line] : lines_) {
      merged[key] = line;
    }
    std::string transports;
    for (const auto broker : brokers_with_transport) {
      transports += (transports.empty() ? "" : ", ") + json_string(broker);
    }
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << "{\"executable\": " << json_string(executable_) << ", \"transports\": [" << transports
          << "], \"results\": [\n";
      std::size_t i = 0;
      for (const auto& [key, line] : merged) {
        out << line << (++i < merged.size() ? ",\n" : "\n");
      }
      out << "]}\n";
      if (!out) {
        throw std::runtime_error("cannot write " + temporary.string());
      }
    }
    std::filesystem::rename(temporary, file);
    ::close(lock);
  }

  std::string executable_;
  std::map<std::string, std::string> lines_;
};

}  // namespace
}  // namespace postwire::testing

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == postwire::testing::child_flag) {
    return postwire::testing::run_child(argc - 2, argv + 2);
  }
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(
      new postwire::testing::ResultsListener(std::filesystem::path(argv[0]).filename().string()));
  return RUN_ALL_TESTS();
}
