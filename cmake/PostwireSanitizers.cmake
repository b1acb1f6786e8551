# POSTWIRE_SANITIZE=address,undefined or thread instruments everything built here, tests
# included. The presets 'asan' and 'tsan' in CMakePresets.json set it.
if(POSTWIRE_SANITIZE)
  if(POSTWIRE_SANITIZE MATCHES "thread" AND POSTWIRE_SANITIZE MATCHES "address")
    message(FATAL_ERROR "POSTWIRE_SANITIZE: thread and address sanitizers cannot be combined")
  endif()
  set(_pw_sanitize_flags -fsanitize=${POSTWIRE_SANITIZE} -fno-omit-frame-pointer)
  if(POSTWIRE_SANITIZE MATCHES "undefined")
    list(APPEND _pw_sanitize_flags -fno-sanitize-recover=undefined)
  endif()
  if(POSTWIRE_SANITIZE MATCHES "thread")
    # GCC warns that TSan cannot see std::atomic_thread_fence, which Asio uses; TSan still
    # checks every access around it.
    list(APPEND _pw_sanitize_compile_flags -Wno-tsan)
  endif()
  add_compile_options(${_pw_sanitize_flags} ${_pw_sanitize_compile_flags})
  add_link_options(${_pw_sanitize_flags})
endif()
