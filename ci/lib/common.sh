# Shared settings for the ci/ scripts. Sourced, never executed.
# shellcheck shell=bash

POSTWIRE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The build tree (CMake preset "dev"); the brokers keep their private data and logs under it.
POSTWIRE_BUILD_DIR=${POSTWIRE_BUILD_DIR:-$POSTWIRE_ROOT/build}
# Downloads that outlive a build tree: broker jars, the tools virtualenv.
POSTWIRE_CACHE_DIR=${POSTWIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/postwire}

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with millisecond precision, for timing steps.
now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
