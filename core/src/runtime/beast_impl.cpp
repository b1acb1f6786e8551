// Beast is compiled once, here (BOOST_BEAST_SEPARATE_COMPILATION is defined for all of
// postwire's targets). Its users are the SQS transport's HTTP connections.
#include <boost/beast/src.hpp>
