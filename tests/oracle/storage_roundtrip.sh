#!/usr/bin/env bash
# Manual check against Prisma Client 7 (needs Node; not part of ctest): each side writes one row
# of tests/fixtures/storage/schema.prisma into its own SQLite file, each reads the other's file,
# and the stored values are printed side by side. Run from the repository root after a build:
#   tests/oracle/storage_roundtrip.sh build
# Last run 2026-11-23 with Prisma 7.10.0: identical storage for every type (DESIGN.md section 9);
# client_sqlite_tests pins the same bytes without Node.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(pwd)
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm i prisma@7.10.0 @prisma/client@7.10.0 @prisma/adapter-better-sqlite3@7.10.0 better-sqlite3 tsx >/dev/null 2>&1
npm rebuild better-sqlite3 esbuild >/dev/null 2>&1
cp "$root/tests/fixtures/storage/schema.prisma" "$root/tests/oracle/prisma_side.ts" .
PRISMA_SCHEMA_ENGINE_BINARY=/bin/true npx prisma generate --schema schema.prisma >/dev/null
"$build/codegen/prisma-cpp" ddl --schema schema.prisma --provider sqlite > ddl.sql
"$build/codegen/prisma-cpp" generate --schema schema.prisma --out gen --namespace oracle
g++ -std=c++20 -I"$root/include" -Igen "$root/tests/oracle/cpp_side.cpp" gen/oracle/nested_*.cpp -lsqlite3 -o cpp_side
for f in p.db c.db; do sqlite3 "$f" < ddl.sql; done
npx tsx prisma_side.ts "file:$work/p.db" write
./cpp_side "file:$work/c.db" write
q='select typeof(flag),flag,typeof(big),big,typeof(ratio),ratio,typeof(price),price,typeof(at),at,typeof(data),data,typeof(raw),hex(raw),tier from Thing'
echo "Prisma wrote:     $(sqlite3 p.db "$q")"
echo "prisma-cpp wrote: $(sqlite3 c.db "$q")"
echo "prisma-cpp reads Prisma's file:"; ./cpp_side "file:$work/p.db"
echo "Prisma reads prisma-cpp's file:"; npx tsx prisma_side.ts "file:$work/c.db"
