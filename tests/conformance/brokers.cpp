#include "conformance/brokers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace postwire::testing {

std::vector<std::string> selected_brokers() {
  const char* env = std::getenv("POSTWIRE_BROKERS");
  std::string list = env != nullptr && *env != '\0' ? env : "amqp,kafka,sqs";
  std::vector<std::string> out;
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

std::string broker_url(const std::string& broker) {
  std::string name = "POSTWIRE_TEST_" + broker + "_URL";
  std::ranges::transform(name, name.begin(),
                         [](char c) { return static_cast<char>(std::toupper(c)); });
  const char* url = std::getenv(name.c_str());
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << name << " is not set: start the brokers with `ci/brokers up` and load "
                  << "their URLs with `eval \"$(ci/brokers env)\"` (ci/test does both)";
    return {};
  }
  return url;
}

std::vector<std::string> transport_brokers() {
  std::vector<std::string> out;
  for (const auto& broker : selected_brokers()) {
    if (std::ranges::find(brokers_with_transport, broker) != brokers_with_transport.end()) {
      out.push_back(broker);
    }
  }
  return out;
}

std::vector<std::string> transport_brokers(std::initializer_list<std::string_view> brokers) {
  std::vector<std::string> out;
  for (const auto& broker : transport_brokers()) {
    if (std::ranges::find(brokers, std::string_view(broker)) != brokers.end()) {
      out.push_back(broker);
    }
  }
  return out;
}

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name << " is not set: load it with `eval \"$(ci/brokers env)\"`";
    return {};
  }
  return value;
}

bool broker_selected(std::string_view broker) {
  const auto selected = selected_brokers();
  return std::ranges::find(selected, broker) != selected.end();
}

}  // namespace postwire::testing
