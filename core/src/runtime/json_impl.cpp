// Boost.JSON is compiled once, here, instead of linking a separately built library; its users
// are the SQS protocol's request builders and response parsers.
#include <boost/json/src.hpp>
