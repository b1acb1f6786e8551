#pragma once

#include <memory>

#include "client/transport.hpp"
#include "postwire/broker_url.hpp"

namespace postwire::client {

class TransportHost;

// The transport for the URL's broker kind. Throws not_supported for a broker whose transport
// this build does not have.
std::unique_ptr<Transport> make_transport(const BrokerUrl& url, TransportHost& host);

}  // namespace postwire::client
