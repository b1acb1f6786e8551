// Asio and its TLS layer are compiled once, here, instead of in every file that includes them
// (BOOST_ASIO_SEPARATE_COMPILATION is defined for all of postwire's targets).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
