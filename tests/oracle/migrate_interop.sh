#!/usr/bin/env bash
# Migrations against Prisma 7.10's own schema engine (../shared/prisma-oracle: the wasm engine
# through Prisma's driver adapters), on SQLite and PostgreSQL:
#   1. a folder written by prisma-cpp `migrate dev` deploys with Prisma's engine, and the result is
#      the schema (prisma-cpp's status and diff agree);
#   2. a folder written from Prisma's own `migrate diff` deploys with prisma-cpp, and Prisma's
#      engine then finds nothing pending;
#   3. `migrate diff` for every pair of tests/fixtures/migrate/pairs, both ways: prisma-cpp's SQL
#      against Prisma's (rate printed);
#   4. `db pull` of each pushed schema against Prisma's (rate printed; the one deliberate difference,
#      dbgenerated() kept where Prisma writes a string literal, is allowed);
#   5. the 33-migration application history of tests/migrate/history.py (PostgreSQL): each migration
#      prisma-cpp's migrate dev wrote is the SQL Prisma's engine writes between the same two schemas
#      (rate printed), and Prisma's engine deploys the whole folder onto a fresh database that then
#      equals the developer's.
# Exit 0: all equal; 1: a difference; 77 (ctest: skipped) without Node, npm's registry or the oracle.
# Usage: tests/oracle/migrate_interop.sh BUILD_DIR SERVER_URL   (from the repository root)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
server=${2:?the PostgreSQL server URL}
root=$(pwd)
P=$build/codegen/prisma-cpp
skip() { echo "SKIPPED: $*"; exit 77; }
# An npm install that failed: a skip only when the registry cannot be reached at all (this
# machine has no network to it); any other failure (a package, a version, a build) fails the test.
npm_failed() {
  tail -5 "$1"
  if ! npm ping >/dev/null 2>&1; then skip "the npm registry is unreachable ($2)"; fi
  echo "FAILED: npm could not install $2 although the registry answers (see above)"; exit 1
}
oracle_src=${PRISMA_CPP_ORACLE_DIR:-$root/../shared/prisma-oracle}
[ -f "$oracle_src/schema-engine.mjs" ] || skip "no Prisma oracle at $oracle_src (set PRISMA_CPP_ORACLE_DIR)"
for tool in node npm psql; do command -v $tool >/dev/null || skip "$tool is not installed"; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$oracle_src" "$work/oracle"
rm -rf "$work/oracle/node_modules"
(cd "$work/oracle" && npm install --no-audit --no-fund >npm.log 2>&1) || npm_failed "$work/oracle/npm.log" "the oracle's packages"
cat > "$work/oracle/apply.mjs" <<'JS'
// node apply.mjs SCHEMA MIGRATIONS_DIR URL: Prisma's migrate deploy (applyMigrations), prints the applied names.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { openEngine, readSchemaFiles, stripDatasourceUrls } from "./schema-engine.mjs";
const [schema, dir, url] = process.argv.slice(2);
const files = readSchemaFiles(schema).map((f) => ({ path: f.path, content: stripDatasourceUrls(f.content).content }));
const base = resolve(dir), lock = join(base, "migration_lock.toml");
const migrationsList = { baseDir: base, shadowDbInitScript: "",
  lockfile: { path: "migration_lock.toml", content: existsSync(lock) ? readFileSync(lock, "utf8") : null },
  migrationDirectories: readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    .map((name) => ({ path: name, migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(base, name, "migration.sql"), "utf8") } } })) };
const engine = await openEngine(files, url);
try { console.log((await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } })).appliedMigrationNames.join(" ")); }
finally { engine.free(); }
JS
O=$work/oracle
fail=0
base=${server%/*}
n=0
fresh_url() {  # provider -> URL: a fresh database (no subshell: n counts)
  n=$((n + 1))
  if [ "$1" = sqlite ]; then URL="file:$work/db$n.sqlite"; else
    psql -q "$server" -c "DROP DATABASE IF EXISTS prisma_cpp_interop_$n" -c "CREATE DATABASE prisma_cpp_interop_$n" >/dev/null 2>&1
    URL="$base/prisma_cpp_interop_$n"; fi
}
for prov in sqlite postgresql; do
  F=$root/tests/fixtures/migrate/$prov
  export DATABASE_URL=$server  # the oracle's PostgreSQL diffs need a server
  # 1. prisma-cpp's folder, deployed by Prisma
  proj=$work/p1_$prov; mkdir -p "$proj/prisma"
  cp "$F/a.prisma" "$proj/prisma/schema.prisma"; fresh_url $prov; dev=$URL
  (cd "$proj" && "$P" migrate dev --name init --url "$dev" >/dev/null 2>&1)
  sleep 1; cp "$F/b.prisma" "$proj/prisma/schema.prisma"
  (cd "$proj" && "$P" migrate dev --name second --url "$dev" >/dev/null 2>&1)
  fresh_url $prov; target=$URL
  applied=$(node "$O/apply.mjs" "$proj/prisma/schema.prisma" "$proj/prisma/migrations" "$target")
  status=$(cd "$proj" && "$P" migrate status --url "$target" 2>&1 || true)
  same=$(cd "$proj" && "$P" migrate diff --from-url "$target" --to-schema prisma/schema.prisma --script --shadow-database-url "$server")
  if [[ "$applied" == *_init*_second* && "$status" == *"up to date"* && "$same" == "-- This is an empty migration." ]]; then
    echo "  same  $prov: prisma-cpp's folder deploys with Prisma's engine and gives the schema"
  else echo "DIFFER $prov: prisma-cpp's folder under Prisma: applied '$applied'; status: $status; diff: $same"; fail=1; fi
  # 2. Prisma's folder, deployed by prisma-cpp
  mig=$work/p2_$prov/migrations; mkdir -p "$mig/20240101000000_init" "$mig/20240102000000_second"
  printf 'provider = "%s"\n' "$prov" > "$mig/migration_lock.toml"
  (cd "$O" && node ddl.mjs "$F/a.prisma" "$prov") > "$mig/20240101000000_init/migration.sql"
  (cd "$O" && node ddl.mjs diff "$F/a.prisma" "$F/b.prisma" "$prov") > "$mig/20240102000000_second/migration.sql"
  fresh_url $prov; target=$URL
  "$P" migrate deploy --migrations "$mig" --url "$target" --schema "$F/b.prisma" >/dev/null 2>&1
  again=$(node "$O/apply.mjs" "$F/b.prisma" "$mig" "$target")
  if [ -z "$again" ]; then echo "  same  $prov: Prisma's folder deploys with prisma-cpp; Prisma's engine finds nothing pending"
  else echo "DIFFER $prov: Prisma's engine applies again after prisma-cpp's deploy: $again"; fail=1; fi
  # 3. migrate diff on the pairs
  total=0; ok=0
  for pair in "$root"/tests/fixtures/migrate/pairs/*/; do
    if [ -f "$pair/ONLY" ] && [ "$(cat "$pair/ONLY")" != "$prov" ]; then continue; fi  # one backend's features
    d=$work/pairs/$prov/$(basename "$pair"); mkdir -p "$d"
    for f in a b; do sed "s/PROVIDER/$prov/" "$pair/$f.prisma" > "$d/$f.prisma"; done
    for dir in "a b" "b a"; do
      set -- $dir; total=$((total + 1))
      (cd "$O" && node ddl.mjs diff "$d/$1.prisma" "$d/$2.prisma" "$prov") > "$d/prisma_$1$2.sql"
      "$P" migrate diff --from-schema "$d/$1.prisma" --to-schema "$d/$2.prisma" --script --shadow-database-url "$server" > "$d/cpp_$1$2.sql" 2>&1 || true
      if cmp -s "$d/prisma_$1$2.sql" "$d/cpp_$1$2.sql"; then ok=$((ok + 1)); else echo "DIFFER $prov migrate diff $(basename "$pair") $1->$2"; diff "$d/prisma_$1$2.sql" "$d/cpp_$1$2.sql" | head -10; fail=1; fi
    done
  done
  echo "  rate  $prov migrate diff: $ok/$total byte-identical"
  # 4. db pull
  total=0; ok=0
  for s in "$work"/pairs/$prov/*/[ab].prisma "$F/b.prisma"; do
    total=$((total + 1)); fresh_url $prov; url=$URL
    # the extensions the extension_types pair's types and operator classes need, as its history would make them
    if [ "$prov" = postgresql ]; then psql -q "$url" -c 'CREATE EXTENSION IF NOT EXISTS citext' -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm' >/dev/null; fi
    "$P" db push --schema "$s" --url "$url" --accept-data-loss >/dev/null 2>&1
    p_rc=0; c_rc=0
    (cd "$O" && node ddl.mjs pull "$url") > "$work/pull_p.prisma" 2>&1 || p_rc=$?
    "$P" db pull --print --url "$url" > "$work/pull_c.prisma" 2>&1 || c_rc=$?
    if [ "$p_rc" != 0 ] && [ "$c_rc" != 0 ]; then ok=$((ok + 1))  # both refuse (an empty database: a multiSchema pair's public schema)
    elif [ "$p_rc" != 0 ] && grep -q "Error describing the database" "$work/pull_p.prisma"; then
      # Prisma 7.10's own SQLite describer fails on a partial unique index ("column not found"); not compared
      total=$((total - 1)); echo "  note  $prov db pull of $(basename "$(dirname "$s")")/$(basename "$s"): Prisma's engine cannot describe it ($(grep -m1 column "$work/pull_p.prisma" | cut -c1-80)...)"
    elif cmp -s "$work/pull_p.prisma" "$work/pull_c.prisma"; then ok=$((ok + 1));
    # the one documented difference (README, db pull): SQLite's DEFAULT (upper('ab')), which Prisma
    # pulls as the string "upper('ab')" and prisma-cpp as dbgenerated("upper('ab')"); nothing else
    elif [ "$prov" = sqlite ] && sed "s/@default(dbgenerated(\"upper('ab')\"))/@default(\"upper('ab')\")/" "$work/pull_c.prisma" |
           cmp -s "$work/pull_p.prisma" -; then ok=$((ok + 1));
    else echo "DIFFER $prov db pull of $s"; { diff "$work/pull_p.prisma" "$work/pull_c.prisma" | head -10 || true; }; fail=1; fi
  done
  echo "  rate  $prov db pull: $ok/$total the same as Prisma's"
done
# 5. an application's history
hist=$work/history
hp=prisma_cpp_interop_history  # its own databases: the history ctest may run beside this one
python3 "$root/tests/migrate/history.py" --prisma-cpp "$P" --server "$server" --work "$hist" --keep-databases --db-prefix $hp \
  > "$work/history.log" 2>&1 ||
  { tail -20 "$work/history.log"; echo "DIFFER: tests/migrate/history.py failed"; fail=1; }
cat > "$O/diffs.mjs" <<'JS'
// node diffs.mjs SCHEMA_DIR OUT_DIR: Prisma's migration SQL between consecutive schemas (NN.prisma),
// the first from an empty schema, each into OUT_DIR/NN.sql (one engine process for all).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as se from "./schema-engine.mjs";
const [dir, out] = process.argv.slice(2);
const names = readdirSync(dir).filter((f) => f.endsWith(".prisma")).sort();
const load = (f) => [{ path: f, content: readFileSync(join(dir, f), "utf8") }];
const empty = [{ path: "empty.prisma", content: 'datasource db {\n  provider = "postgresql"\n}\n' }];
for (let i = 0; i < names.length; i++) {
  const sql = await se.diffScript(i === 0 ? empty : load(names[i - 1]), load(names[i]), se.urlForProvider("postgresql"));
  writeFileSync(join(out, names[i].replace(/\.prisma$/, ".sql")), sql.endsWith("\n") || !sql ? sql : sql + "\n");
}
JS
mkdir -p "$hist/prisma_sql"
(cd "$O" && DATABASE_URL=$server node diffs.mjs "$hist/schemas" "$hist/prisma_sql")
total=0; ok=0
for m in $(ls -d "$hist"/project/prisma/migrations/2*/ | sort); do
  total=$((total + 1)); k=$(printf %02d $total)
  # prisma-cpp's migration without the warnings header migrate dev writes (diff --script has none)
  python3 -c 'import re,sys; s=open(sys.argv[1]).read(); sys.stdout.write(re.sub(r"\A/\*\n  Warnings:.*?\*/\n", "", s, flags=re.S))' \
    "$m/migration.sql" > "$hist/cpp_$k.sql"
  if cmp -s "$hist/cpp_$k.sql" "$hist/prisma_sql/$k.sql"; then ok=$((ok + 1));
  else echo "DIFFER history step $k $(basename "$m")"; { diff "$hist/prisma_sql/$k.sql" "$hist/cpp_$k.sql" | head -10 || true; }; fail=1; fi
done
echo "  rate  postgresql history: $ok/$total migrations byte-identical to Prisma's"
fresh_url postgresql; url=$URL
(cd "$O" && node apply.mjs "$hist/project/prisma/schema.prisma" "$hist/project/prisma/migrations" "$url") > "$work/history_applied.txt"
applied=$(wc -w < "$work/history_applied.txt")
same=$("$P" migrate diff --from-url "$url" --to-url "${server%/*}/${hp}_dev" 2>&1 || true)
if [ "$applied" -ge 34 ] && [ "$same" = "No difference detected." ]; then
  echo "  same  postgresql: Prisma's engine deploys the $applied-migration history and gives the developer's database"
else echo "DIFFER postgresql: Prisma's engine deployed $applied migrations of the history: $same"; fail=1; fi
for db in ${hp}_dev ${hp}_prod ${hp}_reset; do
  psql -q "$server" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
done
for i in $(seq 1 $n); do psql -q "$server" -c "DROP DATABASE IF EXISTS prisma_cpp_interop_$i" >/dev/null 2>&1 || true; done
if [ "$fail" = 0 ]; then echo "== prisma-cpp and Prisma's schema engine agree"; else echo "== differences found"; fi
exit $fail
