#!/usr/bin/env bash
# Fetches a Debian source package, makes its compile_commands.json and runs
# bench_cfamily on it: mapsafe against clang-tidy with one cheap check, same
# translation units, same parallelism.
#
# usage: bench/cfamily/run.sh [--package NAME] [--work DIR] [--bin DIR] [-- BENCH_ARGS...]
#   --package  Debian source package (default leveldb; CMake and plain
#              Makefile packages work, for example leveldb, redis, snappy)
#   --work     where the source is unpacked (default build/bench-cfamily)
#   --bin      where bench_cfamily and mapsafe are (default build/bin)
# BENCH_ARGS go to bench_cfamily: -j N, --runs N, --check NAME.
#
# deb-src is enabled in a sources file of the benchmark's own
# (/etc/apt/sources.list.d/mapsafe-deb-src.sources); that needs root or sudo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
package=leveldb
work=$root/build/bench-cfamily
bin=$root/build/bin
while [ $# -gt 0 ]; do
    case $1 in
        --package) package=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "usage: $0 [--package NAME] [--work DIR] [--bin DIR] [-- BENCH_ARGS...]" >&2; exit 2 ;;
    esac
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

sources=/etc/apt/sources.list.d/mapsafe-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    echo "enabling deb-src for $codename in $sources"
    $sudo tee "$sources" >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $sudo apt-get update -qq
fi
command -v dpkg-source >/dev/null || $sudo apt-get install -y -qq dpkg-dev
command -v clang-tidy >/dev/null || $sudo apt-get install -y -qq clang-tidy

mkdir -p "$work"
cd "$work"
src=$(find . -maxdepth 1 -type d -name "$package-[0-9]*" | head -n 1)
if [ -z "$src" ]; then
    apt-get source "$package"
    src=$(find . -maxdepth 1 -type d -name "$package-[0-9]*" | head -n 1)
fi
[ -n "$src" ] || { echo "no source directory for $package" >&2; exit 1; }
src=$(cd "$src" && pwd)

db=$src/build
if [ ! -f "$db/compile_commands.json" ]; then
    if [ -f "$src/CMakeLists.txt" ]; then
        cmake -S "$src" -B "$db" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
    elif [ -f "$src/Makefile" ] || [ -x "$src/configure" ]; then
        command -v bear >/dev/null || $sudo apt-get install -y -qq bear
        (cd "$src" && { [ -f Makefile ] || ./configure >/dev/null; } &&
            bear --output "$db/compile_commands.json" -- make -j"$(nproc)" >/dev/null)
    else
        echo "$package: no CMakeLists.txt or Makefile; cannot make a compile database" >&2
        exit 1
    fi
fi
mkdir -p "$db"

echo "source: $src"
exec "$bin/bench_cfamily" --mapsafe "$bin/mapsafe" "$@" "$db"
