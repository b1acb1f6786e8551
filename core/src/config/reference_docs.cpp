#include "config/reference_docs.hpp"

#include "postwire/config.hpp"
#include "postwire/error.hpp"

namespace postwire {
namespace {

constexpr std::string_view kGeneratedNote =
    "<!-- Generated from the code by the build (target `docs`); do not edit by hand.\n"
    "     Run `cmake --build build --target update-docs` after changing the table. -->\n\n";

}  // namespace

std::string render_configuration_reference() {
  std::string out = "# Configuration reference\n\n";
  out += kGeneratedNote;
  out +=
      "Every postwire client takes the same flat, string-keyed options, in every language. "
      "Keys and values pass through the bindings as strings; an unknown key or a bad value is "
      "an error that names the key and what it accepts. Options marked secret are never "
      "printed, logged or reported in stats.\n\n";
  out += "| key | accepts | default | description |\n|---|---|---|---|\n";
  for (const auto& spec : option_specs()) {
    out += "| `" + std::string(spec.key) + "` | " + describe_accepted_values(spec) +
           (spec.secret ? " (secret)" : "") + " | ";
    out += spec.default_value.empty() ? "(empty)" : "`" + std::string(spec.default_value) + "`";
    out += " | " + std::string(spec.doc) + " |\n";
  }
  return out;
}

std::string render_error_reference() {
  std::string out = "# Error codes\n\n";
  out += kGeneratedNote;
  out +=
      "Every failure carries a code, a message, and two flags: *retriable* (the same operation "
      "may succeed if tried again) and *fatal* (the client cannot continue and must be "
      "closed). The flags below are each code's defaults; the site that raises an error may "
      "set them otherwise. The numbers are stable and shared by the C ABI and every binding: "
      "a code is never renumbered or reused.\n\n";
  out += "| code | name | retriable | fatal | meaning |\n|---|---|---|---|---|\n";
  for (const auto& info : error_codes()) {
    out += "| " + std::to_string(static_cast<int>(info.code)) + " | `" + std::string(info.name) +
           "` | " + (info.retriable ? "yes" : "no") + " | " + (info.fatal ? "yes" : "no") + " | " +
           std::string(info.description) + " |\n";
  }
  return out;
}

}  // namespace postwire
