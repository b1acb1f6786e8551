#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "postwire/error.hpp"
#include "postwire/export.hpp"

namespace postwire {

enum class OptionType {
  boolean,      // "true" or "false" (any case)
  integer,      // a decimal integer within [min, max]
  duration_ms,  // a decimal number of milliseconds within [min, max]
  string,       // any text
  path,         // a file system path; empty means unset
  choice,       // one of `choices`
};

// One configuration option: its key, type, default and documentation. The table of all
// options lives in the core (see option_specs()) and docs/configuration.md is generated from
// it, so code and documentation cannot drift apart.
struct OptionSpec {
  std::string_view key;
  OptionType type;
  std::string_view default_value;
  std::string_view doc;
  std::int64_t min = 0;  // integer and duration_ms only
  std::int64_t max = 0;
  std::span<const std::string_view> choices = {};  // choice only
  bool secret = false;                             // never printed, logged or put in stats
};

// What `spec` accepts, in words: "true or false", "a whole number from 0 to 500", ... Used
// by error messages and by the generated reference, so both say the same.
POSTWIRE_API std::string describe_accepted_values(const OptionSpec& spec);

// Every option postwire accepts, sorted by key.
POSTWIRE_API std::span<const OptionSpec> option_specs() noexcept;
// The option named `key`, or nullptr.
POSTWIRE_API const OptionSpec* find_option(std::string_view key) noexcept;

// A set of configuration values, keyed by the strings that every language binding passes
// through unchanged. Values are validated when set; reading an option that was not set
// yields its default.
class POSTWIRE_API Config {
 public:
  Config() = default;
  // Sets every pair in turn; throws Exception on the first bad one.
  Config(std::initializer_list<std::pair<std::string_view, std::string_view>> values);

  // Validates and stores one value. On an unknown key or a bad value returns an error that
  // names the key and says what it accepts, and leaves the config unchanged.
  [[nodiscard]] Error set(std::string_view key, std::string_view value);

  // Typed reads. The key must be a known option of the matching type, otherwise they throw
  // Exception(internal): that is a bug in postwire, not bad input.
  [[nodiscard]] bool get_bool(std::string_view key) const;
  [[nodiscard]] std::int64_t get_int(std::string_view key) const;
  [[nodiscard]] std::chrono::milliseconds get_duration(std::string_view key) const;
  [[nodiscard]] std::string get_string(std::string_view key) const;  // string, path, choice

  // Whether the application set the option explicitly.
  [[nodiscard]] bool is_set(std::string_view key) const;

  // The explicitly set values as "key=value" lines, secrets shown as "<redacted>".
  [[nodiscard]] std::string describe() const;

 private:
  std::string_view raw(std::string_view key, OptionType expected) const;

  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace postwire
