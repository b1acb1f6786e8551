# Finds the libraries listed in DESIGN.md. A missing one stops configure with the name of the
# Debian package that provides it (ci/setup installs them all).

function(postwire_missing what package)
  message(FATAL_ERROR
    "postwire: ${what} was not found. Install it with:\n"
    "  sudo apt-get install ${package}\n"
    "or run ci/setup, which installs every dependency.")
endfunction()

find_package(Threads REQUIRED)

find_package(Boost 1.81 CONFIG QUIET)
if(NOT Boost_FOUND)
  postwire_missing("Boost 1.81 (Asio, Beast, JSON)" libboost1.81-dev)
endif()
# Asio and Beast are compiled once, in core/src/runtime/*_impl.cpp, instead of in every file
# that includes them.
add_library(postwire_boost INTERFACE)
target_link_libraries(postwire_boost INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(postwire_boost INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED)

find_package(OpenSSL 3 QUIET)
if(NOT OpenSSL_FOUND)
  postwire_missing("OpenSSL 3 development files" libssl-dev)
endif()

find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  postwire_missing("pkg-config" pkg-config)
endif()
# postwire_pkg_config(PREFIX MODULE PACKAGE): a pkg-config module as PkgConfig::PREFIX.
macro(postwire_pkg_config prefix module package)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    postwire_missing("${module}" ${package})
  endif()
endmacro()
postwire_pkg_config(ZSTD libzstd libzstd-dev)
postwire_pkg_config(LZ4 liblz4 liblz4-dev)
find_package(ZLIB QUIET)
if(NOT ZLIB_FOUND)
  postwire_missing("zlib" zlib1g-dev)
endif()
find_package(Snappy CONFIG QUIET)
if(NOT Snappy_FOUND)
  postwire_missing("snappy" libsnappy-dev)
endif()

if(POSTWIRE_BUILD_TESTS)
  find_package(GTest CONFIG QUIET)
  if(NOT GTest_FOUND)
    postwire_missing("GoogleTest and GoogleMock" "libgtest-dev libgmock-dev")
  endif()
endif()
