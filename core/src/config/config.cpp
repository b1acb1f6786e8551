#include "postwire/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace postwire {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A key as people misspell it less: lower case, and '_' or '-' where the table has '.'.
std::string normalised_key(std::string_view key) {
  std::string out = lower(key);
  std::ranges::replace_if(
      out, [](char c) { return c == '_' || c == '-'; }, '.');
  return out;
}

// Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
// substitutions and swaps of two neighbours), for "did you mean" hints on misspelt keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * width);
  const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * width + j]; };
  for (std::size_t i = 0; i <= a.size(); ++i) {
    at(i, 0) = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    at(0, j) = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0U : 1U;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.size(), b.size());
}

// How far a key may be from a real one to be suggested: two edits, three for long keys (a
// plural ending such as 'max.delivery' for 'max.deliveries' is three).
std::size_t suggestion_limit(std::string_view a, std::string_view b) {
  return std::clamp<std::size_t>(std::max(a.size(), b.size()) / 4, 2, 3);
}

// Names the key only: a value may be a secret.
Error unknown_key(std::string_view key) {
  std::string message = "unknown configuration key '" + std::string(key) + "'";
  const std::string wanted = normalised_key(key);
  const OptionSpec* closest = nullptr;
  std::size_t best = 0;
  for (const auto& spec : option_specs()) {
    const std::size_t distance = edit_distance(wanted, spec.key);
    if (distance <= suggestion_limit(wanted, spec.key) && (closest == nullptr || distance < best)) {
      best = distance;
      closest = &spec;
    }
  }
  if (closest != nullptr) {
    message += " (did you mean '" + std::string(closest->key) + "'?)";
  }
  return {ErrorCode::config_unknown_key, message};
}

Error invalid_value(const OptionSpec& spec, std::string_view value) {
  std::string message = std::string(spec.key) + ": expected " + describe_accepted_values(spec);
  if (!spec.secret) {
    message += ", got '" + std::string(value) + "'";
  }
  return {ErrorCode::config_invalid_value, message};
}

// Returns the value in canonical form, or nothing when it is not acceptable for `spec`.
std::optional<std::string> normalise(const OptionSpec& spec, std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  switch (spec.type) {
    case OptionType::boolean: {
      const std::string text = lower(value);
      if (text == "true" || text == "false") {
        return text;
      }
      return std::nullopt;
    }
    case OptionType::integer:
    case OptionType::duration_ms: {
      std::int64_t number = 0;
      const auto* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, number);
      if (value.empty() || ec != std::errc{} || ptr != end || number < spec.min ||
          number > spec.max) {
        return std::nullopt;
      }
      return std::to_string(number);
    }
    case OptionType::choice: {
      const std::string text = lower(value);
      if (std::ranges::find(spec.choices, text) == spec.choices.end()) {
        return std::nullopt;
      }
      return text;
    }
    case OptionType::string:
    case OptionType::path:
      return std::string(value);
  }
  return std::nullopt;
}

const char* type_name(OptionType type) {
  switch (type) {
    case OptionType::boolean:
      return "boolean";
    case OptionType::integer:
      return "integer";
    case OptionType::duration_ms:
      return "duration";
    case OptionType::string:
      return "string";
    case OptionType::path:
      return "path";
    case OptionType::choice:
      return "choice";
  }
  return "?";
}

// Stored numbers were validated by set() (or are defaults checked by the option table test).
std::int64_t stored_number(std::string_view text) {
  std::int64_t number = 0;
  std::from_chars(text.data(), text.data() + text.size(), number);
  return number;
}

}  // namespace

std::string describe_accepted_values(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::boolean:
      return "true or false";
    case OptionType::integer:
      return "a whole number from " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
    case OptionType::duration_ms:
      return "a whole number of milliseconds from " + std::to_string(spec.min) + " to " +
             std::to_string(spec.max);
    case OptionType::string:
      return "text without NUL bytes";
    case OptionType::path:
      return "a file path (empty: none)";
    case OptionType::choice: {
      std::string out = "one of";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) {
        out += i == 0 ? " " : ", ";
        out += spec.choices[i];
      }
      return out;
    }
  }
  return {};
}

Config::Config(std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  for (const auto& [key, value] : values) {
    if (Error error = set(key, value)) {
      throw Exception(std::move(error));
    }
  }
}

Error Config::set(std::string_view key, std::string_view value) {
  const OptionSpec* spec = find_option(key);
  if (spec == nullptr) {
    return unknown_key(key);
  }
  auto canonical = normalise(*spec, value);
  if (!canonical) {
    return invalid_value(*spec, value);
  }
  values_.insert_or_assign(std::string(key), std::move(*canonical));
  return {};
}

std::string_view Config::raw(std::string_view key, OptionType expected) const {
  const OptionSpec* spec = find_option(key);
  // get_string() reads every textual type: string, path and choice.
  const bool matches =
      spec != nullptr && (spec->type == expected ||
                          (expected == OptionType::string &&
                           (spec->type == OptionType::path || spec->type == OptionType::choice)));
  if (!matches) {
    throw Exception(ErrorCode::internal, "configuration key '" + std::string(key) + "' read as " +
                                             type_name(expected) + ", which it is not");
  }
  if (auto it = values_.find(key); it != values_.end()) {
    return it->second;
  }
  return spec->default_value;
}

bool Config::get_bool(std::string_view key) const {
  return raw(key, OptionType::boolean) == "true";
}

std::int64_t Config::get_int(std::string_view key) const {
  return stored_number(raw(key, OptionType::integer));
}

std::chrono::milliseconds Config::get_duration(std::string_view key) const {
  return std::chrono::milliseconds(stored_number(raw(key, OptionType::duration_ms)));
}

std::string Config::get_string(std::string_view key) const {
  return std::string(raw(key, OptionType::string));
}

bool Config::is_set(std::string_view key) const { return values_.contains(key); }

std::string Config::describe() const {
  std::string out;
  for (const auto& [key, value] : values_) {
    const OptionSpec* spec = find_option(key);
    out += key;
    out += '=';
    out += spec != nullptr && spec->secret ? "<redacted>" : value;
    out += '\n';
  }
  return out;
}

}  // namespace postwire
