# The C ABI library for a language binding's build (python/, node/, java/).
#
#   include(<repo>/cmake/PostwireBinding.cmake)
#   postwire_binding_c_library(<repo root>)   -> target postwire::c (libpostwire.so + postwire.h)
#   postwire_binding_install_c_library(<dir>) -> installs it as <dir>/libpostwire.so.0
#
# With POSTWIRE_C_PREBUILT_DIR (a CMake variable or an environment variable) naming a build
# tree's bindings/c directory, that libpostwire.so is linked as it is: CI builds the core once
# (ci/test's dev build) and every binding reuses it. Without it, the repository is built here
# with its tests, benchmarks and examples turned off, so `pip install ./python` and friends
# work on their own. Either way the binding links the C ABI only, never the C++ classes.

function(postwire_binding_c_library repo_root)
  get_filename_component(repo_root "${repo_root}" ABSOLUTE)
  set(prebuilt "${POSTWIRE_C_PREBUILT_DIR}")
  if(NOT prebuilt AND DEFINED ENV{POSTWIRE_C_PREBUILT_DIR})
    set(prebuilt "$ENV{POSTWIRE_C_PREBUILT_DIR}")
  endif()

  if(prebuilt)
    get_filename_component(prebuilt "${prebuilt}" ABSOLUTE)
    if(NOT EXISTS "${prebuilt}/libpostwire.so.0")
      message(FATAL_ERROR
        "postwire: POSTWIRE_C_PREBUILT_DIR is ${prebuilt}, which holds no libpostwire.so.0 "
        "(it should be a build tree's bindings/c directory, e.g. build/bindings/c after "
        "`cmake --build --preset dev`)")
    endif()
    message(STATUS "postwire: linking the prebuilt C ABI library in ${prebuilt}")
    # The file itself, not the SONAME link, so that installing it copies the library.
    file(REAL_PATH "${prebuilt}/libpostwire.so.0" library)
    add_library(postwire::c SHARED IMPORTED GLOBAL)
    set_target_properties(postwire::c PROPERTIES
      IMPORTED_LOCATION "${library}"
      IMPORTED_SONAME libpostwire.so.0
      INTERFACE_INCLUDE_DIRECTORIES "${repo_root}/bindings/c/include")
  else()
    message(STATUS "postwire: building the C ABI library from ${repo_root}")
    set(POSTWIRE_BUILD_TESTS OFF CACHE BOOL "" FORCE)
    set(POSTWIRE_BUILD_EXAMPLES OFF CACHE BOOL "" FORCE)
    set(POSTWIRE_BUILD_BENCH OFF CACHE BOOL "" FORCE)
    # A binding is built by whatever compiler its packaging tool finds; warnings there are
    # reports, not failures (the project's own CI builds the same code with -Werror).
    set(POSTWIRE_WERROR OFF CACHE BOOL "" FORCE)
    add_subdirectory("${repo_root}" postwire-core EXCLUDE_FROM_ALL)
  endif()
endfunction()

function(postwire_binding_install_c_library destination)
  install(FILES "$<TARGET_FILE:postwire::c>" DESTINATION "${destination}"
    RENAME libpostwire.so.0)
endfunction()
