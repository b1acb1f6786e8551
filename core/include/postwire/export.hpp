#pragma once

// POSTWIRE_API marks what the shared library exports; everything else is hidden
// (the build compiles with -fvisibility=hidden).
#if defined(POSTWIRE_STATIC_DEFINE)
#define POSTWIRE_API
#else
#define POSTWIRE_API __attribute__((visibility("default")))
#endif
