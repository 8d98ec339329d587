#!/usr/bin/env bash
# migrate dev / diff / db push on a PostgreSQL schema of extension types, operator classes and index
# types (citext, pg_trgm's gin_trgm_ops and gist_trgm_ops, GIN/GiST/BRIN/Hash, sort: Desc), as real
# applications have them: once with a history whose first migration creates the extensions by hand
# (the schema does not declare them), once with `extensions = [...]` declared and an empty history.
# Each time: migrate dev writes and applies the migration, a second migrate dev finds nothing to do,
# diff from the history and from the database to the schema are empty, db push has nothing to do.
# A type whose extension the server lacks is refused with a message that names it.
# Usage: extensions.sh PRISMA_CPP SERVER_URL_FILE WORK_DIR
set -euo pipefail
P=$1
server=$(cat "$2")
W=$3
base=${server%/*}
rm -rf "$W"
mkdir -p "$W"
cd "$W"
fail() { echo "FAILED: $*"; exit 1; }
fresh() {  # name -> URL of a new, empty database
  psql -q "$server" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "$base/$1"
}
models='
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique @db.Citext
  name  String
  bio   String? @db.Citext
  posts Post[]

  @@index([name(ops: raw("gin_trgm_ops"))], type: Gin)
  @@index([bio(ops: raw("gist_trgm_ops"))], type: Gist)
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  tags      String[]
  authorId  Int
  author    User     @relation(fields: [authorId], references: [id])
  createdAt DateTime @default(now())

  @@index([createdAt(sort: Desc)])
  @@index([title], type: Hash)
  @@index([tags], type: Gin)
  @@index([createdAt], type: Brin, map: "Post_createdAt_brin")
}
'
check_project() {  # dir url
  local dir=$1 url=$2 out
  (cd "$dir" && DATABASE_URL=$url "$P" migrate dev --name init) > "$dir/dev1.log" 2>&1 || { cat "$dir/dev1.log"; fail "$dir: migrate dev"; }
  grep -q 'CITEXT' "$dir"/prisma/migrations/*_init/migration.sql || fail "$dir: the migration has no CITEXT column"
  grep -q 'USING GIN ("name" gin_trgm_ops)' "$dir"/prisma/migrations/*_init/migration.sql || fail "$dir: no GIN trigram index"
  (cd "$dir" && DATABASE_URL=$url "$P" migrate dev --name again) > "$dir/dev2.log" 2>&1 || { cat "$dir/dev2.log"; fail "$dir: second migrate dev"; }
  grep -q 'Already in sync' "$dir/dev2.log" || { cat "$dir/dev2.log"; fail "$dir: the second migrate dev was not in sync"; }
  out=$("$P" migrate diff --from-migrations "$dir/prisma/migrations" --to-schema "$dir/prisma/schema.prisma" --script \
        --shadow-database-url "$server" 2>&1) || { echo "$out"; fail "$dir: diff from the history"; }
  [ "$out" = "-- This is an empty migration." ] || { echo "$out"; fail "$dir: the history and the schema differ"; }
  out=$("$P" migrate diff --from-url "$url" --to-schema "$dir/prisma/schema.prisma" --exit-code 2>&1) ||
    { echo "$out"; fail "$dir: the database and the schema differ"; }
  out=$(cd "$dir" && DATABASE_URL=$url "$P" db push 2>&1) || { echo "$out"; fail "$dir: db push"; }
  echo "$out" | grep -q 'already in sync' || { echo "$out"; fail "$dir: db push had something to do"; }
  # the schema from empty: the extensions it needs are not in its SQL, Prisma writes none either
  out=$("$P" migrate diff --from-empty --to-schema "$dir/prisma/schema.prisma" --script --shadow-database-url "$server" 2>&1) ||
    { echo "$out"; fail "$dir: diff from empty"; }
  echo "$out" | grep -q 'CREATE TABLE "User"' || { echo "$out"; fail "$dir: diff from empty wrote no table"; }
}

# 1. a history that creates the extensions by hand; the schema does not declare them
mkdir -p hist/prisma/migrations/0_extensions
printf 'datasource db {\n  provider = "postgresql"\n}\n%s' "$models" > hist/prisma/schema.prisma
printf 'CREATE EXTENSION IF NOT EXISTS "citext";\nCREATE EXTENSION IF NOT EXISTS "pg_trgm";\n' \
  > hist/prisma/migrations/0_extensions/migration.sql
printf 'provider = "postgresql"\n' > hist/prisma/migrations/migration_lock.toml
check_project hist "$(fresh prisma_cpp_ext_hist)"

# 2. extensions declared in the schema, an empty history: the first migration creates them
mkdir -p decl/prisma
printf 'generator client {\n  provider        = "prisma-cpp"\n  previewFeatures = ["postgresqlExtensions"]\n}\n\ndatasource db {\n  provider   = "postgresql"\n  extensions = [citext, pg_trgm]\n}\n%s' \
  "$models" > decl/prisma/schema.prisma
check_project decl "$(fresh prisma_cpp_ext_decl)"
grep -q 'CREATE EXTENSION IF NOT EXISTS "citext"' decl/prisma/migrations/*_init/migration.sql ||
  fail "the declared extensions are not created by the first migration"

# 3. a type of an extension the server does not have: refused, naming it
mkdir -p missing
printf 'datasource db {\n  provider = "postgresql"\n}\nmodel Place {\n  id  Int @id\n  geo Unsupported("geometry(Point, 4326)")\n}\n' \
  > missing/schema.prisma
if psql -Atq "$server" -c "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'" | grep -q 1; then
  echo "(PostGIS is installed on this server: the refusal of a missing extension is not shown)"
else
  if out=$("$P" migrate diff --from-empty --to-schema missing/schema.prisma --script --shadow-database-url "$server" 2>&1); then
    echo "$out"; fail "a schema of a missing extension's type was diffed"
  fi
  echo "$out" | grep -q 'needs the PostgreSQL extension `postgis` (`Place.geo` is Unsupported("geometry(Point, 4326)"))' ||
    { echo "$out"; fail "the refusal does not name the extension"; }
fi
for db in prisma_cpp_ext_hist prisma_cpp_ext_decl; do psql -q "$server" -c "DROP DATABASE IF EXISTS $db" >/dev/null; done
echo "extension types: migrate dev, diff and db push agree with the schema, with a hand-written history and with declared extensions"
