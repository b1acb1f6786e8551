#pragma once

// A client (ClientCore) on the fake transport, for the client layer's unit tests.
#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "client/client_core.hpp"
#include "fake_transport.hpp"

namespace postwire::client {

using namespace std::chrono_literals;

constexpr auto kWait = 5s;  // a bound for what happens at once, never a timed assertion

class ClientLayer : public ::testing::Test {
 protected:
  void connect(std::initializer_list<std::pair<std::string_view, std::string_view>> options,
               Transport::Compression compression = Transport::Compression::per_message) {
    Config config;
    for (const auto& [key, value] : options) {
      const Error error = config.set(key, value);
      ASSERT_TRUE(error.is_ok()) << error.to_string();
    }
    core_ = ClientCore::connect("amqp://fake-broker", config,
                                [this, compression](const BrokerUrl& /*url*/, TransportHost& host) {
                                  auto transport =
                                      std::make_unique<testing::FakeTransport>(host, compression);
                                  fake_ = transport.get();
                                  return transport;
                                });
  }

  void TearDown() override {
    if (core_) {
      core_->close(0ms);
    }
  }

  void send(std::string body, std::uint64_t token) {
    core_->send("q", Message{.body = std::move(body)}, token);
  }

  DeliveryReport next_report() {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    std::vector<Event> events;
    while (std::chrono::steady_clock::now() < deadline) {
      events.clear();
      core_->poll(events, 1, 100ms);
      for (auto& event : events) {
        if (auto* report = std::get_if<DeliveryReport>(&event)) {
          return std::move(*report);
        }
      }
    }
    ADD_FAILURE() << "no delivery report";
    return {};
  }

  std::shared_ptr<ClientCore> core_;
  testing::FakeTransport* fake_ = nullptr;
};

}  // namespace postwire::client
