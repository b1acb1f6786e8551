# postwire_strict_warnings(TARGET): the warning set for postwire's own code. Third-party
# headers come in as SYSTEM includes, so their warnings never fail our build.
function(postwire_strict_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
    # Designated initializers that leave defaulted members out are intended.
    -Wno-missing-field-initializers
    # GCC 12 reports Asio's coroutine frames (allocated by awaitable_frame_base's own operator
    # new, freed by its matching operator delete) as mismatched: a known false positive.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
  if(POSTWIRE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
