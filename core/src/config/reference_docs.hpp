#pragma once

#include <string>

namespace postwire {

// docs/configuration.md, rendered from option_specs().
std::string render_configuration_reference();
// docs/errors.md, rendered from error_codes().
std::string render_error_reference();

}  // namespace postwire
