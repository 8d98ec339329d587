#!/usr/bin/env bash
# Storage against Prisma Client 7 with @prisma/adapter-pg: the PostgreSQL mirror of
# storage_roundtrip.sh. Exits 0 when both sides stored and read the same, 1 on any difference, 77
# (ctest: skipped) when Node or the npm registry is not there; ctest `-L oracle` runs it. Each side writes one Member (every field set), its
# Profile, a Post and an AuditLog (schema "audit") of tests/fixtures/kitchen_sink/postgresql into
# its own database (DDL from `prisma-cpp ddl`); then every column is compared as
# `col::text, pg_typeof(col)` between the two databases, and each side reads the other's rows.
# Run from the repository root after a build:
#   tests/oracle/storage_roundtrip_postgres.sh [BUILD_DIR] [SERVER_URL]
# BUILD_DIR defaults to build. SERVER_URL (postgresql://user@host:port/db) is a server where the
# script may create and drop the databases prisma_cpp_oracle_p and prisma_cpp_oracle_c; without
# it, scripts/pg-test-server starts a private server for the run and stops it at the end.
# ORACLE_TZ (default UTC) is set as the databases' TimeZone. With another zone
# (ORACLE_TZ=Asia/Kolkata) the script shows, and fails on, Prisma's own bug: @prisma/adapter-pg sends
# a Timestamptz as the UTC wall clock without an offset (members.joinedAt stored
# 03:04:05.678+05:30, the wrong instant) and on read replaces the offset with +00:00; prisma-cpp
# stores and reads the right instant (prisma/orm#26786).
# Last run 2026-12-04 with Prisma 7.10.0, PostgreSQL 15, UTC: every column stored identically and
# read identically by both sides (audit_log.dbl = -0.0 once differed: prisma-cpp now sends 0, as
# node-postgres does).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(pwd)
tz=${ORACLE_TZ:-UTC}
skip() { echo "SKIPPED: $*"; exit 77; }
# An npm install that failed: a skip only when the registry cannot be reached at all (this
# machine has no network to it); any other failure (a package, a version, a build) fails the test.
npm_failed() {
  tail -5 "$1"
  if ! npm ping >/dev/null 2>&1; then skip "the npm registry is unreachable ($2)"; fi
  echo "FAILED: npm could not install $2 although the registry answers (see above)"; exit 1
}
for tool in node npm npx psql; do command -v "$tool" >/dev/null || skip "$tool is not installed (the oracle needs Node and psql)"; done
work=$(mktemp -d)
pgdir=
cleanup() {
  if [ -n "$pgdir" ]; then "$root/scripts/pg-test-server" stop "$pgdir" || true; rm -rf "$pgdir"; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${2:-}" ]; then
  server=$2
else
  pgdir=$(mktemp -d)
  "$root/scripts/pg-test-server" start "$pgdir" >/dev/null
  server=$(cat "$pgdir/url")
fi
base=${server%/*}
P=$base/prisma_cpp_oracle_p
C=$base/prisma_cpp_oracle_c
cd "$work"

npm init -y >/dev/null
npm i --no-audit --no-fund prisma@7.10.0 @prisma/client@7.10.0 @prisma/adapter-pg@7.10.0 pg tsx >npm.log 2>&1 ||
  npm_failed npm.log "Prisma 7.10.0"
# Prisma 7: generator prisma-client (TypeScript, CommonJS), no url in the datasource block.
mkdir schema
cp "$root"/tests/fixtures/kitchen_sink/postgresql/*.prisma schema/
python3 - <<'EOF'
import re
p = 'schema/config.prisma'
t = open(p).read()
t = re.sub(r'generator client \{.*?\n\}', 'generator client {\n  provider        = "prisma-client"\n'
           '  output          = "../generated"\n  moduleFormat    = "cjs"\n  previewFeatures = ["views"]\n}', t, flags=re.S)
t = re.sub(r'^\s*url\s*=.*$', '', t, flags=re.M)
open(p, 'w').write(t)
EOF
cp "$root/tests/oracle/prisma_side_postgres.ts" .
PRISMA_SCHEMA_ENGINE_BINARY=/bin/true npx prisma generate --schema schema >/dev/null
"$build/codegen/prisma-cpp" ddl --schema "$root/tests/fixtures/kitchen_sink/postgresql" --provider postgresql > ddl.sql
"$build/codegen/prisma-cpp" generate --schema "$root/tests/fixtures/kitchen_sink/postgresql" --out gen --namespace kitchen
g++ -std=c++20 -I"$root/include" -Igen -I/usr/include/postgresql "$root/tests/oracle/cpp_side_postgres.cpp" gen/*/nested_*.cpp gen/*/executor.cpp gen/*/schema.cpp -lpqxx -lpq -o cpp_side

for db in prisma_cpp_oracle_p prisma_cpp_oracle_c; do
  psql -q "$server" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
    -c "ALTER DATABASE $db SET timezone = '$tz'"
  psql -q "$base/$db" -v ON_ERROR_STOP=1 -f ddl.sql >/dev/null
done

echo "== Prisma writes (and reads its own rows)"
npx tsx prisma_side_postgres.ts "$P" write | tee prisma_own.txt
echo "== prisma-cpp writes (and reads its own rows)"
./cpp_side "$C" write | tee cpp_own.txt

# Column by column: the stored text and type. Generated values (ids, cuid, nanoid, ulid, uuid(7),
# now(), @updatedAt, foreign keys to a generated id) differ between runs, so for those the shape
# is compared instead.
declare -A shape=(
  [public.members.id]="CASE WHEN @C@ ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$' THEN 'uuid v4' ELSE 'other: '||@C@ END"
  [public.Profile.memberId]="CASE WHEN @C@ ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$' THEN 'uuid v4' ELSE 'other: '||@C@ END"
  [public.Post.authorId]="CASE WHEN @C@ ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$' THEN 'uuid v4' ELSE 'other: '||@C@ END"
  [public.Post.slug]="CASE WHEN @C@ ~ '^c[a-z0-9]{24}\$' THEN 'cuid (c + 24 [a-z0-9])' ELSE 'other: '||@C@ END"
  [audit.audit_log.nanoKey]="CASE WHEN @C@ ~ '^[A-Za-z0-9_-]{12}\$' THEN 'nanoid(12)' ELSE 'other: '||@C@ END"
  [audit.audit_log.ulidKey]="CASE WHEN @C@ ~ '^[0-7][0-9A-HJKMNP-TV-Z]{25}\$' THEN 'ulid (26 Crockford, upper)' WHEN @C@ ~* '^[0-7][0-9A-HJKMNP-TV-Z]{25}\$' THEN 'ulid (26 Crockford, lower)' ELSE 'other: '||@C@ END"
  [audit.audit_log.uuid7]="CASE WHEN @C@ ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$' THEN 'uuid v7' ELSE 'other: '||@C@ END"
)
# Timestamps without time zone written as now(): UTC wall clock, whole milliseconds?
ts_shape="CASE WHEN abs(extract(epoch from (@C@ - (now() at time zone 'UTC')))) < 600 THEN 'UTC now' ELSE 'not UTC now: '||@C@::text END || CASE WHEN extract(microseconds from @C@)::bigint % 1000 = 0 THEN ', whole ms' ELSE ', sub-ms: '||@C@::text END"
shape[public.members.updated_at]=$ts_shape
shape[public.Post.createdAt]=$ts_shape
shape[public.Post.updatedAt]=$ts_shape
shape[audit.audit_log.at]=$ts_shape

colq="SELECT table_schema||'.'||table_name||'.'||column_name FROM information_schema.columns
      WHERE (table_schema, table_name) IN (('public','members'),('public','Profile'),('public','Post'),('audit','audit_log'))
      ORDER BY CASE table_name WHEN 'members' THEN 1 WHEN 'Profile' THEN 2 WHEN 'Post' THEN 3 ELSE 4 END, ordinal_position"
echo
echo "== Stored values, column by column (Prisma | prisma-cpp)"
ndiff=0
while IFS=. read -r sch tbl col; do
  ref="\"$sch\".\"$tbl\""
  x="\"$col\""
  key="$sch.$tbl.$col"
  if [ -n "${shape[$key]:-}" ]; then expr="(${shape[$key]//@C@/$x})"; else expr="$x::text"; fi
  sql="SELECT coalesce(string_agg(coalesce($expr, 'NULL') || ' :: ' || pg_typeof($x)::text, '  ;  ' ORDER BY ctid), '(no row)') FROM $ref"
  pv=$(psql -XAt "$P" -c "$sql" 2>&1 || true)
  cv=$(psql -XAt "$C" -c "$sql" 2>&1 || true)
  if [ "$pv" == "$cv" ]; then
    printf '  same  %-32s %s\n' "$key" "$pv"
  else
    ndiff=$((ndiff + 1))
    printf 'DIFFER  %-32s Prisma: %s\n        %-32s cpp:    %s\n' "$key" "$pv" "" "$cv"
  fi
done < <(psql -XAt "$P" -c "$colq")
echo "== $ndiff column(s) differ"
echo
echo "== prisma-cpp reads Prisma's database"
./cpp_side "$P" | tee cpp_reads_prisma.txt
echo "== Prisma reads prisma-cpp's database"
npx tsx prisma_side_postgres.ts "$C" | tee prisma_reads_cpp.txt
if [ -n "${2:-}" ]; then
  for db in prisma_cpp_oracle_p prisma_cpp_oracle_c; do psql -q "$server" -c "DROP DATABASE IF EXISTS $db"; done
fi

# Each reader must read the other's rows as it reads its own. Generated values (ids, cuid, nanoid,
# ulid, uuid(7), now(), @updatedAt and the keys that point at them) are masked.
fail=0
[ "$ndiff" == 0 ] || fail=1
gen='id|memberId|authorId|slug|createdAt|updatedAt|at|nanoKey|ulidKey|uuid7'
mask() { sed -E "s/(^| )($gen)=[^ ]*/\1\2=*/g; s/\"($gen)\":(\"[^\"]*\"|[0-9]+)/\"\1\":*/g" "$1"; }
compare() {  # reader, other's rows, own rows
  if [ "$(mask "$2")" != "$(mask "$3")" ]; then
    echo "DIFFER: $1 reads the other side's rows differently from its own:"
    diff <(mask "$3") <(mask "$2") | sed 's/^/  /' || true
    fail=1
  fi
}
compare prisma-cpp cpp_reads_prisma.txt cpp_own.txt
compare Prisma prisma_reads_cpp.txt prisma_own.txt
if grep -q "ERROR" cpp_reads_prisma.txt prisma_reads_cpp.txt cpp_own.txt prisma_own.txt; then
  echo "DIFFER: a read failed"; fail=1
fi
for f in cpp_reads_prisma.txt prisma_reads_cpp.txt; do
  grep -Eq "birthday:? 1$" "$f" || { echo "DIFFER: the equality filter does not find the other side's row ($f)"; fail=1; }
done
if [ "$fail" == 0 ]; then echo "== same storage and the same reads on both sides"; else echo "== differences found"; fi
exit "$fail"
