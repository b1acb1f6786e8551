// The canonical request of SigV4: how the method, path, query, headers and body of a request
// are normalised before they are hashed ("Create a canonical request" in AWS's SigV4 guide).

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "postwire/error.hpp"
#include "protocol/sqs/digest.hpp"
#include "protocol/sqs/sigv4.hpp"

namespace postwire::sqs {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4U]);
      out.push_back(hex[c & 0x0FU]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// %XX sequences decoded; a '%' not followed by two hex digits stays a literal '%' (and is
// re-encoded as %25), so no input is rejected.
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// RFC 3986 section 5.2.4 dot-segment removal, with empty segments (repeated slashes) dropped
// as well. A path that names a directory ("/a/", "/a/b/..") keeps its trailing slash.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  bool directory = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    directory = segment.empty() || segment == "." || segment == "..";
    if (segment == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    out += segments[i];
    if (i + 1 < segments.size() || directory) {
      out.push_back('/');
    }
  }
  return out;
}

std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) {
    return "/";
  }
  return uri_encode_path(normalize ? std::string_view(normalize_path(path)) : path);
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string_view part = query.substr(start, amp - start);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      const std::string_view key = part.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
      params.emplace_back(uri_encode(percent_decode(key)), uri_encode(percent_decode(value)));
    }
    start = amp + 1;
  }
  // Sorted by encoded name, then by value for repeated names (byte order, as AWS specifies).
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += key;
    out.push_back('=');
    out += value;
  }
  return out;
}

// RFC 9110 token characters: what an HTTP field name may contain.
bool token_char(unsigned char c) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         extra.find(static_cast<char>(c)) != std::string_view::npos;
}

std::string lowercase_name(std::string_view name) {
  if (name.empty()) {
    throw Exception(ErrorCode::invalid_argument, "SigV4: a header has an empty name");
  }
  std::string out;
  out.reserve(name.size());
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!token_char(c)) {
      throw Exception(ErrorCode::invalid_argument,
                      "SigV4: header name \"" + std::string(name) +
                          "\" contains a character that is not allowed in an HTTP field name");
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
  }
  return out;
}

bool http_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Leading and trailing whitespace removed and every inner run (folded lines included)
// collapsed to one space.
std::string trimmed_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (http_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text) { return encode(text, false); }
std::string uri_encode_path(std::string_view path) { return encode(path, true); }

CanonicalRequest canonical_request(const HttpRequestToSign& request,
                                   const SigningOptions& options) {
  if (request.method.empty()) {
    throw Exception(ErrorCode::invalid_argument, "SigV4: the request has no method");
  }
  // Stable sort by lowercase name keeps repeated headers in the order they were given.
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.emplace_back(lowercase_name(name), trimmed_value(value));
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string canonical_headers;
  std::string signed_headers;
  std::string payload_hash;
  bool has_host = false;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    if (i > 0 && headers[i - 1].first == name) {
      canonical_headers.back() = ',';  // replaces the previous line's '\n'
    } else {
      if (!signed_headers.empty()) {
        signed_headers.push_back(';');
      }
      signed_headers += name;
      canonical_headers += name;
      canonical_headers.push_back(':');
    }
    canonical_headers += value;
    canonical_headers.push_back('\n');
    has_host = has_host || name == "host";
    if (name == "x-amz-content-sha256") {
      payload_hash = value;  // a declared payload hash (S3's UNSIGNED-PAYLOAD) is what is signed
    }
  }
  if (!has_host) {
    throw Exception(ErrorCode::invalid_argument, "SigV4: the request has no Host header");
  }
  if (payload_hash.empty()) {
    payload_hash = to_hex(sha256(request.body));
  }

  CanonicalRequest out;
  out.text.reserve(256 + canonical_headers.size() + request.path.size() + request.query.size());
  out.text += request.method;
  out.text.push_back('\n');
  out.text += canonical_uri(request.path, options.normalize_path);
  out.text.push_back('\n');
  out.text += canonical_query(request.query);
  out.text.push_back('\n');
  out.text += canonical_headers;
  out.text.push_back('\n');
  out.text += signed_headers;
  out.text.push_back('\n');
  out.text += payload_hash;
  out.signed_headers = std::move(signed_headers);
  return out;
}

}  // namespace postwire::sqs
