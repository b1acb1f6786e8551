// postwire-docgen OUTPUT_DIR: writes configuration.md and errors.md, generated from the
// code's own tables, into OUTPUT_DIR. The build runs it; a test compares its output with
// the committed docs/.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "config/reference_docs.hpp"

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: postwire-docgen OUTPUT_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const bool ok =
      write_file(dir + "/configuration.md", postwire::render_configuration_reference()) &&
      write_file(dir + "/errors.md", postwire::render_error_reference());
  if (!ok) {
    std::cerr << "postwire-docgen: cannot write to " << dir << "\n";
    return 1;
  }
  return 0;
}
