#include "postwire/broker_url.hpp"

#include <gtest/gtest.h>

#include "postwire/error.hpp"

namespace postwire {
namespace {

// The message of the invalid_url error that parsing `url` throws.
std::string parse_error(std::string_view url) {
  try {
    static_cast<void>(BrokerUrl::parse(url));
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_url);
    return e.error().message();
  }
  ADD_FAILURE() << "expected '" << url << "' to be rejected";
  return {};
}

TEST(BrokerUrl, AmqpWithSeveralHostsCredentialsAndVhost) {
  const auto url = BrokerUrl::parse("amqp://user:pass@h1:5673,h2/orders");
  EXPECT_EQ(url.kind(), BrokerKind::amqp);
  EXPECT_FALSE(url.tls());
  ASSERT_EQ(url.hosts().size(), 2U);
  EXPECT_EQ(url.hosts()[0], (HostPort{"h1", 5673}));
  EXPECT_EQ(url.hosts()[1], (HostPort{"h2", 5672}));
  EXPECT_EQ(url.username(), "user");
  EXPECT_EQ(url.password(), "pass");
  EXPECT_EQ(url.vhost(), "orders");
}

TEST(BrokerUrl, AmqpVhostFollowsRabbitMqRules) {
  EXPECT_EQ(BrokerUrl::parse("amqp://h").vhost(), "/");
  EXPECT_EQ(BrokerUrl::parse("amqp://h/").vhost(), "");
  EXPECT_EQ(BrokerUrl::parse("amqp://h/%2f").vhost(), "/");
  EXPECT_EQ(BrokerUrl::parse("amqp://h/a%2Fb").vhost(), "a/b");
  EXPECT_NE(parse_error("amqp://h/a/b").find("one path segment"), std::string::npos);
}

TEST(BrokerUrl, DefaultPortsPerScheme) {
  EXPECT_EQ(BrokerUrl::parse("amqp://h").hosts()[0].port, 5672);
  EXPECT_EQ(BrokerUrl::parse("amqps://h").hosts()[0].port, 5671);
  EXPECT_TRUE(BrokerUrl::parse("amqps://h").tls());
  EXPECT_EQ(BrokerUrl::parse("kafka://h").hosts()[0].port, 9092);
  EXPECT_EQ(BrokerUrl::parse("kafka+tls://h").hosts()[0].port, 9093);
  EXPECT_TRUE(BrokerUrl::parse("KAFKA+TLS://h").tls());
}

TEST(HostPort, PrintsIpv6InBrackets) {
  EXPECT_EQ(HostPort("h1", 5672).to_string(), "h1:5672");
  EXPECT_EQ(HostPort("::1", 9092).to_string(), "[::1]:9092");
}

TEST(BrokerUrl, PercentDecodesCredentials) {
  const auto url = BrokerUrl::parse("amqp://us%40er:p%3Ass%2Fw%25rd@host");
  EXPECT_EQ(url.username(), "us@er");
  EXPECT_EQ(url.password(), "p:ss/w%rd");
}

TEST(BrokerUrl, UnescapedAtAndSlashInPasswordStillParse) {
  const auto url = BrokerUrl::parse("amqp://user:pa@ss/wd@host:1234/vh");
  EXPECT_EQ(url.password(), "pa@ss/wd");
  EXPECT_EQ(url.hosts()[0], (HostPort{"host", 1234}));
  EXPECT_EQ(url.vhost(), "vh");
}

TEST(BrokerUrl, UserWithoutPassword) {
  const auto url = BrokerUrl::parse("amqps://guest@host");
  EXPECT_EQ(url.username(), "guest");
  EXPECT_FALSE(url.password().has_value());
  EXPECT_EQ(url.redacted(), "amqps://guest@host:5671/%2F");
}

TEST(BrokerUrl, KafkaBootstrapList) {
  const auto url = BrokerUrl::parse("kafka://k1:9092,k2:9093,[::1]:9094");
  EXPECT_EQ(url.kind(), BrokerKind::kafka);
  ASSERT_EQ(url.hosts().size(), 3U);
  EXPECT_EQ(url.hosts()[2], (HostPort{"::1", 9094}));
  EXPECT_EQ(url.redacted(), "kafka://k1:9092,k2:9093,[::1]:9094");
  EXPECT_NE(parse_error("kafka://k1/topic").find("takes no path"), std::string::npos);
}

TEST(BrokerUrl, SqsRegionAndLocalEndpoint) {
  const auto aws = BrokerUrl::parse("sqs://eu-west-2");
  EXPECT_EQ(aws.kind(), BrokerKind::sqs);
  EXPECT_TRUE(aws.tls());
  EXPECT_EQ(aws.region(), "eu-west-2");
  EXPECT_EQ(aws.hosts()[0], (HostPort{"sqs.eu-west-2.amazonaws.com", 443}));

  const auto local = BrokerUrl::parse("sqs+http://127.0.0.1:9324?region=us-east-1");
  EXPECT_FALSE(local.tls());
  EXPECT_EQ(local.region(), "us-east-1");
  EXPECT_EQ(local.hosts()[0], (HostPort{"127.0.0.1", 9324}));
  EXPECT_EQ(local.option("region"), "us-east-1");
}

TEST(BrokerUrl, SqsNeedsARegion) {
  EXPECT_NE(parse_error("sqs+http://127.0.0.1:9324").find("region"), std::string::npos);
  EXPECT_NE(parse_error("sqs://Not_A_Region").find("not an AWS region"), std::string::npos);
  EXPECT_NE(parse_error("sqs://us-east-1?region=eu-west-1").find("contradicts"), std::string::npos);
}

TEST(BrokerUrl, QueryOptionsAreDecodedInOrder) {
  const auto url = BrokerUrl::parse("amqp://h?heartbeat=10&connection_name=a%20b&flag");
  ASSERT_EQ(url.options().size(), 3U);
  EXPECT_EQ(url.options()[1].second, "a b");
  EXPECT_EQ(url.option("flag"), "");
  EXPECT_FALSE(url.option("missing").has_value());
}

TEST(BrokerUrl, RedactsPasswordsEverywhere) {
  const auto url =
      BrokerUrl::parse("amqp://admin:s3cr3t@h1,h2:5673/prod?auth_token=abc&heartbeat=5");
  const std::string text = url.redacted();
  EXPECT_EQ(text, "amqp://admin:***@h1:5672,h2:5673/prod?auth_token=***&heartbeat=5");
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
}

TEST(BrokerUrl, ErrorsNeverContainThePassword) {
  for (const char* url : {"amqp://u:topsecret@host:99999", "amqp://u:topsecret@",
                          "amqp://u:topsecret@h/a/b", "amqp://u:topsecret@h/%zz"}) {
    EXPECT_EQ(parse_error(url).find("topsecret"), std::string::npos) << url;
  }
}

TEST(BrokerUrl, RejectsMalformedUrlsWithClearMessages) {
  EXPECT_EQ(parse_error("localhost:5672"),
            "broker URL: missing '://' after the scheme (expected e.g. amqp://host:5672)");
  EXPECT_EQ(parse_error("http://h"),
            "broker URL: unknown scheme 'http' (expected amqp, amqps, kafka, kafka+tls, sqs "
            "or sqs+http)");
  EXPECT_EQ(parse_error("amqp://"), "broker URL: no host given");
  EXPECT_EQ(parse_error("amqp://h:0"),
            "broker URL: invalid port '0' for host 'h' (expected 1 to 65535)");
  EXPECT_NE(parse_error("amqp://h:65536").find("invalid port '65536'"), std::string::npos);
  EXPECT_EQ(parse_error("amqp://h:"),
            "broker URL: invalid port '' for host 'h' (expected 1 to 65535)");
  EXPECT_EQ(parse_error("amqp://h1,,h2"), "broker URL: empty host name");
  EXPECT_EQ(parse_error("amqp://bad host"), "broker URL: invalid host name 'bad host'");
  EXPECT_NE(parse_error("amqp://::1:5672").find("IPv6"), std::string::npos);
  EXPECT_NE(parse_error("amqp://[::1").find("unterminated"), std::string::npos);
  EXPECT_NE(parse_error("amqp://[zz]").find("invalid IPv6"), std::string::npos);
  EXPECT_NE(parse_error("amqp://h/%4").find("percent-escape"), std::string::npos);
  EXPECT_NE(parse_error("amqp://h#frag").find("fragments"), std::string::npos);
  EXPECT_NE(parse_error("amqp://h?=v").find("no name"), std::string::npos);
}

}  // namespace
}  // namespace postwire
