// postwire_config_*: string options, validated by the core as they are set.
#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

extern "C" {

postwire_code postwire_config_new(postwire_config** config, postwire_error** error) {
  return guarded(error, [&] {
    auto& result = out(config, "config");  // checked before anything is allocated
    result = hand_out_new<postwire_config>();
  });
}

postwire_code postwire_config_set(postwire_config* config, const char* key, const char* value,
                                  postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(config, "config");
    const auto k = text(key, "key");
    const auto v = text(value, "value");
    if (auto failure = self.config.set(k, v)) {
      throw Exception(std::move(failure));
    }
  });
}

void postwire_config_destroy(postwire_config* config) { reclaim(config); }

}  // extern "C"
