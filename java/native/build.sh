#!/usr/bin/env bash
# java/native/build.sh TARGET_DIR [JAVA_HOME]: the native half of the Java package, run by Maven
# (java/pom.xml, phase generate-sources).
#   1. SWIG turns bindings/swig/postwire.i into the JNI wrapper (C) and its package-private
#      Java classes (TARGET_DIR/generated-sources/swig).
#   2. CMake (java/CMakeLists.txt) builds libpostwire_jni.so over the C ABI library: the
#      prebuilt one in POSTWIRE_C_PREBUILT_DIR when set, else the repository built from source.
#   3. Both libraries go into TARGET_DIR/classes/native/PLATFORM/, where the jar carries them.
set -euo pipefail

target=${1:?usage: build.sh TARGET_DIR [JAVA_HOME]}
# FindJNI looks for the JDK's headers under JAVA_HOME: Maven passes the JDK it runs on.
if [[ -n ${2:-} ]]; then
  export JAVA_HOME=$2
elif [[ -z ${JAVA_HOME:-} ]] && command -v javac >/dev/null; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  export JAVA_HOME
fi
java_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$java_dir/.." && pwd)

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86_64 ;;
  Linux-aarch64) platform=linux-aarch64 ;;
  *) echo "postwire: no native build for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac

command -v swig >/dev/null || { echo "postwire: swig is not installed (run ci/setup)" >&2; exit 1; }

java_out=$target/generated-sources/swig/io/postwire
native_build=$target/native
wrapper=$native_build/postwire_jni.c
rm -rf "$java_out"
mkdir -p "$java_out" "$native_build"
swig -java -package io.postwire -outdir "$java_out" -o "$wrapper" \
  -I"$root/bindings/swig" -I"$root/bindings/c/include" "$root/bindings/swig/postwire.i"

jobs=${POSTWIRE_BUILD_JOBS:-2}
cmake -S "$java_dir" -B "$native_build/cmake" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPOSTWIRE_JNI_WRAPPER="$wrapper" >"$native_build/configure.log" ||
  { cat "$native_build/configure.log" >&2; exit 1; }
nice cmake --build "$native_build/cmake" -j "$jobs" --target postwire_jni
cmake --install "$native_build/cmake" --prefix "$target/classes/native/$platform" >/dev/null
# The jar carries the libraries without debug symbols: a dev build's are large, and every
# JVM extracts the files once at start.
strip --strip-unneeded "$target/classes/native/$platform/libpostwire.so.0" \
  "$target/classes/native/$platform/libpostwire_jni.so"
