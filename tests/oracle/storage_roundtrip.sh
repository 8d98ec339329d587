#!/usr/bin/env bash
# Storage against Prisma Client 7 on SQLite: each side writes one row of
# tests/fixtures/storage/schema.prisma into its own SQLite file, each reads the other's file, and
# the stored values and the reads are compared. Exits 0 when both sides stored and read the same,
# 1 on any difference, 77 (ctest: skipped) when Node or the npm registry is not there.
# Run from the repository root after a build (ctest `-L oracle` runs it):
#   tests/oracle/storage_roundtrip.sh [BUILD_DIR]
# Last run 2026-12-04 with Prisma 7.10.0: identical storage for every type (DESIGN.md section 9);
# client_sqlite_tests pins the same bytes without Node.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(pwd)
skip() { echo "SKIPPED: $*"; exit 77; }
# An npm install that failed: a skip only when the registry cannot be reached at all (this
# machine has no network to it); any other failure (a package, a version, a build) fails the test.
npm_failed() {
  tail -5 "$1"
  if ! npm ping >/dev/null 2>&1; then skip "the npm registry is unreachable ($2)"; fi
  echo "FAILED: npm could not install $2 although the registry answers (see above)"; exit 1
}
for tool in node npm npx sqlite3; do command -v "$tool" >/dev/null || skip "$tool is not installed (the oracle needs Node and the sqlite3 shell)"; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm i --no-audit --no-fund prisma@7.10.0 @prisma/client@7.10.0 @prisma/adapter-better-sqlite3@7.10.0 better-sqlite3 tsx \
  >npm.log 2>&1 || npm_failed npm.log "Prisma 7.10.0"
npm rebuild better-sqlite3 esbuild >/dev/null 2>&1
cp "$root/tests/fixtures/storage/schema.prisma" "$root/tests/oracle/prisma_side.ts" .
PRISMA_SCHEMA_ENGINE_BINARY=/bin/true npx prisma generate --schema schema.prisma >/dev/null
"$build/codegen/prisma-cpp" ddl --schema schema.prisma --provider sqlite > ddl.sql
"$build/codegen/prisma-cpp" generate --schema schema.prisma --out gen --namespace oracle
g++ -std=c++20 -I"$root/include" -Igen "$root/tests/oracle/cpp_side.cpp" gen/oracle/nested_*.cpp gen/oracle/executor.cpp gen/oracle/schema.cpp -lsqlite3 -o cpp_side
for f in p.db c.db; do sqlite3 "$f" < ddl.sql; done
npx tsx prisma_side.ts "file:$work/p.db" write > prisma_own.txt
./cpp_side "file:$work/c.db" write > cpp_own.txt
fail=0
differ() { echo "DIFFER: $1"; echo "  $2"; echo "  $3"; fail=1; }
# The stored values, typeof and text of every column (uid and touched are generated: their form).
q="select typeof(flag),flag,typeof(big),big,typeof(ratio),ratio,typeof(price),price,typeof(at),at,typeof(data),data,
          typeof(raw),hex(raw),tier,typeof(uid),length(uid),typeof(touched),length(touched) from Thing"
pv=$(sqlite3 p.db "$q"); cv=$(sqlite3 c.db "$q")
echo "Prisma wrote:     $pv"
echo "prisma-cpp wrote: $cv"
[ "$pv" == "$cv" ] || differ "stored values" "Prisma:     $pv" "prisma-cpp: $cv"
# Each reader reads the other's file as it reads its own (generated values masked).
./cpp_side "file:$work/p.db" > cpp_reads_prisma.txt
npx tsx prisma_side.ts "file:$work/c.db" > prisma_reads_cpp.txt
mask() { sed -E 's/(uid=|"uid":")[^ "]*/\1*/; s/(touched=|"touched":")[^ "]*/\1*/' "$1"; }
echo "prisma-cpp reads Prisma's file: $(cat cpp_reads_prisma.txt)"
echo "Prisma reads prisma-cpp's file: $(cat prisma_reads_cpp.txt)"
[ "$(mask cpp_reads_prisma.txt)" == "$(mask cpp_own.txt)" ] ||
  differ "prisma-cpp reads Prisma's row differently from its own" "$(mask cpp_reads_prisma.txt)" "$(mask cpp_own.txt)"
[ "$(mask prisma_reads_cpp.txt)" == "$(mask prisma_own.txt)" ] ||
  differ "Prisma reads prisma-cpp's row differently from its own" "$(mask prisma_reads_cpp.txt)" "$(mask prisma_own.txt)"
for f in cpp_reads_prisma.txt prisma_reads_cpp.txt; do
  grep -q "filter count: 1$" "$f" || differ "the equality filter does not find the other side's row ($f)" "$(grep 'filter count' "$f")" "expected 1"
done
if [ "$fail" == 0 ]; then echo "== same storage and the same reads on both sides"; else echo "== differences found"; fi
exit "$fail"
