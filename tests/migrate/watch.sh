#!/usr/bin/env bash
# db pull --watch on a SQLite file: the schema follows tables made by another tool, the client is
# regenerated, the schema is kept while the database is gone, and the watch picks up again after.
# Usage: watch.sh PRISMA_CPP WORK_DIR
set -euo pipefail
P=$1
W=$2
rm -rf "$W"
mkdir -p "$W"
cd "$W"
printf 'generator client {\n  provider = "prisma-cpp"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n' > schema.prisma
sql() { printf '%s' "$1" > step.sql; "$P" db execute --url file:./app.db --file step.sql >/dev/null 2>&1; }
sql 'CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);'
"$P" db pull --watch --interval 100ms --max-polls 600 --schema schema.prisma --url file:./app.db --generate --out gen \
  2> watch.log &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for() {  # text file
  for _ in $(seq 150); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$1' in $2"; echo "--- watch.log"; cat watch.log; echo "--- schema.prisma"; cat schema.prisma
  exit 1
}
wait_for "model A" schema.prisma
grep -q 'provider = "prisma-cpp"' schema.prisma  # the generator block is kept
sql 'CREATE TABLE "B" ("id" INTEGER NOT NULL PRIMARY KEY, "aId" INTEGER NOT NULL REFERENCES "A" ("id"));'
wait_for "model B" schema.prisma
wait_for "Regenerated the client" watch.log
test -f gen/db/models/B.hpp
mv app.db app.db.away  # the database goes away: the schema stays as it was
wait_for "does not exist" watch.log
grep -q "model B" schema.prisma
mv app.db.away app.db
sql 'CREATE TABLE "C" ("id" INTEGER NOT NULL PRIMARY KEY);'
wait_for "model C" schema.prisma
wait_for "reachable again" watch.log
kill $pid
wait $pid || true
echo "db pull --watch followed A, B, the outage and C"
