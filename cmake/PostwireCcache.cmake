# Use ccache when it is installed: rebuilds of unchanged files cost nothing, which matters on a
# two-core machine where one file that includes Asio takes many seconds.
find_program(POSTWIRE_CCACHE ccache)
if(POSTWIRE_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER "${POSTWIRE_CCACHE}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${POSTWIRE_CCACHE}")
endif()
