#!/usr/bin/env bash
# The Conan 2 recipe: `conan create` of this source tree with test_package (prisma_generate() and a
# query), offline, against the system's libraries ([platform_requires] in system.profile), in a
# private CONAN_HOME. Exit 77 (skipped, with the reason) without Conan 2.
#   conan.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
if ! command -v conan >/dev/null 2>&1; then
  echo "skipped: conan is not installed (Conan 2: pip install 'conan>=2'; Debian 12 has no package for it)"
  exit 77
fi
if ! conan --version 2>/dev/null | grep -q "version 2"; then
  echo "skipped: $(conan --version 2>&1) is not Conan 2"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
export CONAN_HOME="$work/conan_home"
conan profile detect --force >/dev/null
cp "$src/tests/package/system.profile" "$CONAN_HOME/profiles/system"
conan create "$src" --profile:all=system --build=missing -s compiler.cppstd=20 2>&1 | tee "$work/conan.log"
grep -q "prisma-cpp package: pen costs 3" "$work/conan.log"
