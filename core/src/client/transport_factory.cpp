#include "client/transport_factory.hpp"

#include "transport/amqp/amqp_transport.hpp"
#include "transport/kafka/kafka_transport.hpp"

namespace postwire::client {

std::unique_ptr<Transport> make_transport(const BrokerUrl& url, TransportHost& host) {
  switch (url.kind()) {
    case BrokerKind::amqp:
      return std::make_unique<amqp::AmqpTransport>(url, host);
    case BrokerKind::kafka:
      return std::make_unique<kafka::KafkaTransport>(url, host);
    case BrokerKind::sqs:
      break;
  }
  throw Exception(ErrorCode::not_supported,
                  "postwire " + std::string(url.scheme()) +
                      ": this version has no transport for this broker yet (RabbitMQ and Kafka)");
}

}  // namespace postwire::client
