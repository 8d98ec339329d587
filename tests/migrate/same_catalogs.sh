#!/usr/bin/env bash
# What Prisma's differ does not see as a difference, prisma-cpp does not either (PostgreSQL):
# the same foreign keys created in another order; a second unique index over a column that the
# schema makes unique (left alone, not dropped); a DEFERRABLE foreign key; a check constraint.
# Usage: same_catalogs.sh PRISMA_CPP SERVER_URL_FILE WORK_DIR
set -euo pipefail
P=$1
server=$(cat "$2")
W=$3
base=${server%/*}
rm -rf "$W"
mkdir -p "$W"
cd "$W"
fail() { echo "FAILED: $*"; exit 1; }
fresh() {
  psql -q "$server" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
  echo "$base/$1"
}
tables='CREATE TABLE "A" ("id" INTEGER NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));
CREATE TABLE "B" ("id" INTEGER NOT NULL, "a1" INTEGER NOT NULL, "a2" INTEGER NOT NULL, "code" TEXT NOT NULL,
  CONSTRAINT "B_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "B_code_key" ON "B"("code");'
fk1='ALTER TABLE "B" ADD CONSTRAINT "B_a1_fkey" FOREIGN KEY ("a1") REFERENCES "A"("id") ON DELETE RESTRICT ON UPDATE CASCADE;'
fk2='ALTER TABLE "B" ADD CONSTRAINT "B_a2_fkey" FOREIGN KEY ("a2") REFERENCES "A"("id") ON DELETE RESTRICT ON UPDATE CASCADE;'
one=$(fresh prisma_cpp_same_1)
two=$(fresh prisma_cpp_same_2)
printf '%s\n%s\n%s\n' "$tables" "$fk1" "$fk2" | psql -q -v ON_ERROR_STOP=1 "$one" >/dev/null
printf '%s\n%s\n%s\n' "$tables" "$fk2" "$fk1" | psql -q -v ON_ERROR_STOP=1 "$two" >/dev/null
out=$("$P" migrate diff --from-url "$one" --to-url "$two" 2>&1) || { echo "$out"; fail "diff of two databases"; }
[ "$out" = "No difference detected." ] || { echo "$out"; fail "foreign keys created in another order are reported as a difference"; }

cat > schema.prisma <<'PRISMA'
datasource db {
  provider = "postgresql"
}

model A {
  id Int @id
  b1 B[] @relation("a1")
  b2 B[] @relation("a2")
}

model B {
  id   Int    @id
  a1   Int
  a2   Int
  code String @unique
  one  A      @relation("a1", fields: [a1], references: [id])
  two  A      @relation("a2", fields: [a2], references: [id])
}
PRISMA
for url in "$one" "$two"; do
  out=$("$P" migrate diff --from-url "$url" --to-schema schema.prisma --script --shadow-database-url "$server" 2>&1) ||
    { echo "$out"; fail "diff to the schema"; }
  [ "$out" = "-- This is an empty migration." ] || { echo "$out"; fail "the database and its schema differ"; }
done
# a second unique index over `code`, a deferrable foreign key, a check constraint: Prisma leaves them alone
psql -q -v ON_ERROR_STOP=1 "$one" >/dev/null <<'SQL'
CREATE UNIQUE INDEX "b_code_unique" ON "B"("code");
ALTER TABLE "B" DROP CONSTRAINT "B_a2_fkey";
ALTER TABLE "B" ADD CONSTRAINT "B_a2_fkey" FOREIGN KEY ("a2") REFERENCES "A"("id") ON DELETE RESTRICT ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "B" ADD CONSTRAINT "B_id_positive" CHECK ("id" > 0);
SQL
out=$("$P" migrate diff --from-url "$one" --to-schema schema.prisma --script --shadow-database-url "$server" 2>&1) ||
  { echo "$out"; fail "diff to the schema"; }
[ "$out" = "-- This is an empty migration." ] || { echo "$out"; fail "prisma-cpp would change what Prisma leaves alone"; }
out=$(DATABASE_URL=$one "$P" db push --schema schema.prisma 2>&1) || { echo "$out"; fail "db push"; }
echo "$out" | grep -q 'already in sync' || { echo "$out"; fail "db push had something to do"; }
psql -q "$server" -c "DROP DATABASE IF EXISTS prisma_cpp_same_1" -c "DROP DATABASE IF EXISTS prisma_cpp_same_2" >/dev/null 2>&1
echo "foreign keys in another order, a duplicate unique index, a deferrable key and a check constraint: no difference, as in Prisma"
