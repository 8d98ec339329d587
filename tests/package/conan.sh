#!/usr/bin/env bash
# The Conan 2 recipe, with a real Conan 2: `conan create` of this source tree (its test_package:
# prisma_generate() and a query), offline, against the system's libraries ([platform_requires] in
# system.profile), in a private CONAN_HOME with every remote disabled; then a consumer project
# that takes the created package from the cache (CMakeToolchain, find_package, prisma_generate())
# and runs a query on SQLite and one on PostgreSQL; then `conan test`.
#   conan.sh SOURCE_DIR WORK_DIR PG_URL_FILE
# Conan: $PRISMA_CPP_CONAN, else `conan` on PATH, else ../shared/tools/conan-2.9/bin/conan beside
# the checkout (Conan 2.9 from its authors' source, run with Debian's python3 packages, which
# `scripts/dev test` installs). Exit 77 (skipped, with the reason) only when none exists.
set -euo pipefail
src=$(cd "$1" && pwd) work=$2 pg_url_file=$3
conan=${PRISMA_CPP_CONAN:-}
if [ -z "$conan" ] && command -v conan >/dev/null 2>&1; then conan=$(command -v conan); fi
if [ -z "$conan" ] && [ -x "$src/../shared/tools/conan-2.9/bin/conan" ]; then conan=$src/../shared/tools/conan-2.9/bin/conan; fi
if [ -z "$conan" ]; then
  echo "skipped: no Conan 2 here (none on PATH, no ../shared/tools/conan-2.9 beside the checkout; Debian 12 packages none)"
  exit 77
fi
if ! version=$("$conan" --version 2>&1); then
  echo "FAILED: $conan does not run (its python3 packages: scripts/dev test installs them):"
  echo "$version"
  exit 1
fi
case "$version" in
  *"version 2."*) echo "using $conan: $version" ;;
  *) echo "FAILED: $conan is not Conan 2: $version"; exit 1 ;;
esac
pkg_version=$(sed -n 's/^project(prisma-cpp VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$pkg_version" ] || { echo "FAILED: no project(prisma-cpp VERSION ...) in CMakeLists.txt"; exit 1; }
ref=prisma-cpp/$pkg_version
pg_url=$(cat "$pg_url_file")

rm -rf "$work"
mkdir -p "$work"
export CONAN_HOME="$work/conan_home"
"$conan" profile detect --force >/dev/null
cp "$src/tests/package/system.profile" "$CONAN_HOME/profiles/system"
# offline: no remote is asked for anything (the system profile provides every dependency)
"$conan" remote disable "*" >/dev/null
# test_package builds in its own folder (cmake_layout): a copy, so the checkout is not written to
cp -r "$src/test_package" "$work/test_package"
echo "== conan create $src ($ref)"
"$conan" create "$src" --test-folder="$work/test_package" --profile:all=system --build=missing 2>&1 | tee "$work/create.log"
grep -q "prisma-cpp package: pen costs 3" "$work/create.log" || { echo "FAILED: test_package did not print its row"; exit 1; }

echo "== a consumer project with the created package"
mkdir -p "$work/consumer"
printf '[requires]\n%s\n\n[generators]\nCMakeToolchain\nCMakeDeps\n' "$ref" > "$work/consumer/conanfile.txt"
"$conan" install "$work/consumer" --profile:all=system --output-folder="$work/consumer/deps" 2>&1 | tail -5
cmake -S "$src/tests/package/conan_consumer" -B "$work/consumer/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_TOOLCHAIN_FILE="$work/consumer/deps/conan_toolchain.cmake"
cmake --build "$work/consumer/build"
(cd "$work/consumer" && ./build/consumer)
"$work/consumer/build/consumer_pg" "$pg_url"

echo "== conan test"
"$conan" test "$work/test_package" "$ref" --profile:all=system 2>&1 | tee "$work/test.log"
grep -q "prisma-cpp package: pen costs 3" "$work/test.log" || { echo "FAILED: conan test did not print the row"; exit 1; }
echo "conan: created $ref offline, its test_package, a consumer on SQLite and PostgreSQL, and conan test passed"
