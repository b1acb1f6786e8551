#include "postwire/broker_url.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "common/hex.hpp"
#include "postwire/error.hpp"

namespace postwire {
namespace {

struct SchemeInfo {
  std::string_view name;
  BrokerKind kind;
  bool tls;
  std::uint16_t default_port;
};

// kafka+tls has no registered port; 9093 is the one Kafka's documentation uses for TLS.
constexpr std::array kSchemes{
    SchemeInfo{"amqp", BrokerKind::amqp, false, 5672},
    SchemeInfo{"amqps", BrokerKind::amqp, true, 5671},
    SchemeInfo{"kafka", BrokerKind::kafka, false, 9092},
    SchemeInfo{"kafka+tls", BrokerKind::kafka, true, 9093},
    SchemeInfo{"sqs", BrokerKind::sqs, true, 443},
    SchemeInfo{"sqs+http", BrokerKind::sqs, false, 80},
};

[[noreturn]] void fail(std::string message) {
  throw Exception(ErrorCode::invalid_url, "broker URL: " + std::move(message));
}

std::string percent_decode(std::string_view text, std::string_view part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 1 < text.size() ? hex_digit_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      fail("malformed percent-escape in the " + std::string(part) + " (expected %XX)");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool is_unreserved(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4U];
      out += kHex[u & 0x0FU];
    }
  }
  return out;
}

bool is_secret_option(std::string_view name) {
  for (std::string_view word : {"password", "secret", "token", "credential"}) {
    if (name.find(word) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

bool valid_host_name(std::string_view host) {
  return !host.empty() && std::ranges::all_of(host, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
           c == '.' || c == '_';
  });
}

std::uint16_t parse_port(std::string_view text, std::string_view host) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
    fail("invalid port '" + std::string(text) + "' for host '" + std::string(host) +
         "' (expected 1 to 65535)");
  }
  return static_cast<std::uint16_t>(value);
}

HostPort parse_host(std::string_view text, std::uint16_t default_port) {
  HostPort out({}, default_port);
  std::string_view port_text;
  bool has_port = false;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      fail("unterminated '[' in host '" + std::string(text) + "'");
    }
    out.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) {
        fail("unexpected text after ']' in host '" + std::string(text) + "'");
      }
      port_text = rest.substr(1);
      has_port = true;
    }
    if (out.host.empty() || !std::ranges::all_of(out.host, [](char c) {
          return hex_digit_value(c) >= 0 || c == ':' || c == '.';
        })) {
      fail("invalid IPv6 address '" + out.host + "'");
    }
  } else {
    const auto colon = text.find(':');
    if (colon != std::string_view::npos) {
      if (text.find(':', colon + 1) != std::string_view::npos) {
        fail("host '" + std::string(text) + "' has several ':'; write IPv6 addresses in []");
      }
      port_text = text.substr(colon + 1);
      has_port = true;
      text = text.substr(0, colon);
    }
    if (!valid_host_name(text)) {
      fail(text.empty() ? std::string("empty host name")
                        : "invalid host name '" + std::string(text) + "'");
    }
    out.host = std::string(text);
  }
  if (has_port) {
    out.port = parse_port(port_text, out.host);
  }
  return out;
}

bool valid_region(std::string_view region) {
  return !region.empty() && std::ranges::all_of(region, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string HostPort::to_string() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

BrokerUrl BrokerUrl::parse(std::string_view url) {
  BrokerUrl out;

  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    fail("missing '://' after the scheme (expected e.g. amqp://host:5672)");
  }
  std::string scheme(url.substr(0, scheme_end));
  std::ranges::transform(scheme, scheme.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const auto* info = std::ranges::find(kSchemes, scheme, &SchemeInfo::name);
  if (info == kSchemes.end()) {
    fail("unknown scheme '" + scheme +
         "' (expected amqp, amqps, kafka, kafka+tls, sqs or sqs+http)");
  }
  out.scheme_ = scheme;
  out.kind_ = info->kind;
  out.tls_ = info->tls;

  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    fail("fragments ('#...') are not allowed");
  }

  // Query options.
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    rest = rest.substr(0, question);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view item = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (item.empty()) {
        continue;
      }
      const auto eq = item.find('=');
      std::string name = percent_decode(item.substr(0, eq), "query");
      if (name.empty()) {
        fail("a query option has no name");
      }
      std::string value = eq == std::string_view::npos
                              ? std::string{}
                              : percent_decode(item.substr(eq + 1), "query");
      out.options_.emplace_back(std::move(name), std::move(value));
    }
  }

  // The last '@' ends the user information, so a password with an unescaped '@' or '/'
  // still parses and never leaks into the host part (or an error message about it).
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    out.username_ = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      out.password_ = percent_decode(userinfo.substr(colon + 1), "password");
    }
  }

  // Authority and path.
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::optional<std::string_view> path =
      slash == std::string_view::npos ? std::nullopt : std::optional(rest.substr(slash + 1));

  if (authority.empty()) {
    fail("no host given");
  }

  if (out.scheme_ == "sqs") {
    // sqs://REGION: the host part is the AWS region and the endpoint follows from it.
    const std::string region(authority);
    if (!valid_region(region)) {
      fail("'" + region + "' is not an AWS region name (expected e.g. sqs://us-east-1)");
    }
    out.region_ = region;
    out.hosts_.push_back({"sqs." + region + ".amazonaws.com", info->default_port});
  } else {
    while (true) {
      const auto comma = authority.find(',');
      out.hosts_.push_back(parse_host(authority.substr(0, comma), info->default_port));
      if (comma == std::string_view::npos) {
        break;
      }
      authority = authority.substr(comma + 1);
    }
  }

  if (out.kind_ == BrokerKind::amqp) {
    if (!path) {
      out.path_ = "/";
    } else {
      if (path->find('/') != std::string_view::npos) {
        fail("the virtual host must be one path segment; write '/' inside it as %2F");
      }
      out.path_ = percent_decode(*path, "virtual host");
    }
  } else if (path && !path->empty()) {
    fail("a " + scheme + " URL takes no path, but has '/" + std::string(*path) + "'");
  }

  if (out.kind_ == BrokerKind::sqs) {
    const auto region_option = out.option("region");
    if (out.scheme_ == "sqs+http") {
      if (!region_option || !valid_region(*region_option)) {
        fail("sqs+http URLs need a valid region option, e.g. ?region=us-east-1");
      }
      out.region_ = std::string(*region_option);
    } else if (region_option && *region_option != out.region_) {
      fail("the region option '" + std::string(*region_option) +
           "' contradicts the URL's region '" + out.region_ + "'");
    }
  }
  return out;
}

std::optional<std::string_view> BrokerUrl::option(std::string_view name) const {
  for (const auto& [key, value] : options_) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::string BrokerUrl::redacted() const {
  std::string out = scheme_ + "://";
  if (username_) {
    out += percent_encode(*username_);
    if (password_) {
      out += ":***";
    }
    out += '@';
  }
  if (scheme_ == "sqs") {
    out += region_;
  } else {
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      if (i != 0) {
        out += ',';
      }
      out += hosts_[i].to_string();
    }
  }
  if (kind_ == BrokerKind::amqp) {
    out += '/' + percent_encode(path_);
  }
  for (std::size_t i = 0; i < options_.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += percent_encode(options_[i].first) + '=';
    out += is_secret_option(options_[i].first) ? "***" : percent_encode(options_[i].second);
  }
  return out;
}

}  // namespace postwire
