# prisma-cpp's migration commands end to end on one backend (PROVIDER sqlite|postgresql):
#   migrate diff A -> B and B -> A equal what Prisma 7.10 wrote for the same pairs (a_to_b.sql, b_to_a.sql);
#   migrate dev A, then B, then again (nothing to do); drift is detected;
#   migrate deploy of that folder on a fresh database and db push of B on another give the same
#   catalog as B itself; db push refuses to lose data unless --accept-data-loss; db pull of it is
#   what Prisma 7.10's db pull wrote (b_pulled.prisma) and validates.
# PG_URL_FILE: the test server's URL (PostgreSQL only).
set(fixtures ${SOURCE}/tests/fixtures/migrate/${PROVIDER})
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/prisma)
function(run expect_rc expect_text)
  execute_process(COMMAND ${PRISMA_CPP} ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expect_rc OR NOT "${out}${err}" MATCHES "${expect_text}")
    message(FATAL_ERROR "prisma-cpp ${ARGN}: exit ${rc} (wanted ${expect_rc}), output:\n${out}${err}\n(wanted /${expect_text}/)")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_all "${out}${err}" PARENT_SCOPE)
endfunction()

# The catalog of a database as the database itself describes it, for comparing two databases
# without prisma-cpp's differ: SQLite's pragmas (columns, indexes, foreign keys) through the sqlite3
# shell; PostgreSQL's catalogs through psql (columns, indexes, constraints, enums; the schema's name
# replaced), _prisma_migrations left out. Columns by name: a migration that adds one appends it,
# db push writes it in the schema's order (Prisma's migrations do the same).
function(catalog url out_var)
  if(PROVIDER STREQUAL "postgresql")
    string(REGEX MATCH "schema=([a-z_0-9]+)" _ "${url}")
    set(ns ${CMAKE_MATCH_1})
    execute_process(COMMAND ${PSQL} -X -q -At -F "|" "${server}"
      -c "SELECT 'column', table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = '${ns}' AND table_name <> '_prisma_migrations' ORDER BY 2, 3"
      -c "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = '${ns}' AND tablename <> '_prisma_migrations' ORDER BY 2, 3"
      -c "SELECT 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE c.connamespace = '${ns}'::regnamespace AND t.relname <> '_prisma_migrations' ORDER BY 2, 3"
      -c "SELECT 'enum', t.typname, e.enumsortorder, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = '${ns}'::regnamespace ORDER BY 2, 3"
      RESULT_VARIABLE rc OUTPUT_VARIABLE dump ERROR_VARIABLE err)
    string(REPLACE "${ns}" "<schema>" dump "${dump}")
  else()
    string(REPLACE "file:" "" file "${url}")
    execute_process(COMMAND ${SQLITE3} -readonly ${file}
      "SELECT 'column', m.name, c.cid, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_prisma_migrations' ORDER BY 2, 3;"
      "SELECT 'index', m.name, i.name, i.\"unique\", i.origin, i.partial, (SELECT group_concat(x.name, ',') FROM pragma_index_info(i.name) x) FROM sqlite_master m, pragma_index_list(m.name) i WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_prisma_migrations' ORDER BY 2, 3;"
      "SELECT 'fk', m.name, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 2, 3, 4;"
      RESULT_VARIABLE rc OUTPUT_VARIABLE dump ERROR_VARIABLE err)
  endif()
  if(NOT rc EQUAL 0 OR dump STREQUAL "")
    message(FATAL_ERROR "could not read the catalog of ${url}: exit ${rc}\n${err}")
  endif()
  set(${out_var} "${dump}" PARENT_SCOPE)
endfunction()
if(PROVIDER STREQUAL "postgresql")
  file(READ ${PG_URL_FILE} server)
  string(STRIP "${server}" server)
  string(RANDOM LENGTH 8 ALPHABET abcdefghijklmnopqrstuvwxyz tag)
  set(dev "${server}?schema=rt_dev_${tag}")
  set(fresh "${server}?schema=rt_fresh_${tag}")
  set(pushed "${server}?schema=rt_pushed_${tag}")
  set(pullsrc "${server}?schema=rt_pull_${tag}")
  set(shadow --shadow-database-url "${server}")
else()
  set(dev "file:${WORK}/dev.db")
  set(fresh "file:${WORK}/fresh.db")
  set(pushed "file:${WORK}/pushed.db")
  set(pullsrc "file:${WORK}/pull.db")
  set(shadow)
endif()

# the differ against Prisma's own output for the same pair of schemas
run(0 "" migrate diff --from-schema ${fixtures}/a.prisma --to-schema ${fixtures}/b.prisma --script ${shadow})
file(READ ${fixtures}/a_to_b.sql prisma_sql)
if(NOT last_out STREQUAL prisma_sql)
  message(FATAL_ERROR "migrate diff A -> B differs from Prisma 7.10's:\n--- prisma-cpp\n${last_out}\n--- Prisma\n${prisma_sql}")
endif()
run(0 "" migrate diff --from-schema ${fixtures}/b.prisma --to-schema ${fixtures}/a.prisma --script ${shadow})
file(READ ${fixtures}/b_to_a.sql prisma_sql)
if(NOT last_out STREQUAL prisma_sql)
  message(FATAL_ERROR "migrate diff B -> A differs from Prisma 7.10's:\n--- prisma-cpp\n${last_out}\n--- Prisma\n${prisma_sql}")
endif()
run(0 "-- This is an empty migration." migrate diff --from-schema ${fixtures}/b.prisma --to-schema ${fixtures}/b.prisma --script ${shadow})

# migrate dev: A, then B, then nothing
configure_file(${fixtures}/a.prisma ${WORK}/prisma/schema.prisma COPYONLY)
run(0 "Created .*_init/migration.sql.*Applied migration .*_init" migrate dev --name init --url ${dev})
configure_file(${fixtures}/b.prisma ${WORK}/prisma/schema.prisma COPYONLY)
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1)  # a later timestamp for the second migration
run(0 "Created .*_second/migration.sql" migrate dev --name second --url ${dev})
file(GLOB second ${WORK}/prisma/migrations/*_second/migration.sql)
file(READ ${second} second_sql)
if(NOT second_sql MATCHES "Warnings:" OR NOT second_sql MATCHES "drop the column `old`")
  message(FATAL_ERROR "the second migration does not warn of the dropped column:\n${second_sql}")
endif()
run(0 "Already in sync" migrate dev --name nothing --url ${dev})
file(GLOB dirs ${WORK}/prisma/migrations/*_nothing)
if(dirs)
  message(FATAL_ERROR "migrate dev wrote a migration with nothing in it: ${dirs}")
endif()
run(0 "Database schema is up to date!" migrate status --url ${dev})

# the folder deployed on a fresh database, and db push of B, both hold exactly B
run(0 "All migrations have been successfully applied" migrate deploy --url ${fresh})
run(0 "-- This is an empty migration." migrate diff --from-url ${fresh} --to-schema prisma/schema.prisma --script ${shadow})
run(0 "in sync with your Prisma schema" db push --url ${pushed})
run(0 "No difference detected." migrate diff --from-url ${fresh} --to-url ${pushed})
run(0 "already in sync" db push --url ${pushed})
catalog("${fresh}" deployed_catalog)
catalog("${pushed}" pushed_catalog)
if(NOT deployed_catalog STREQUAL pushed_catalog)
  message(FATAL_ERROR "the deployed and the pushed database differ by their own catalogs:\n--- deployed\n${deployed_catalog}\n--- pushed\n${pushed_catalog}")
endif()

# drift: a table made by hand in the dev database
file(WRITE ${WORK}/drift.sql "CREATE TABLE \"Stray\" (\"id\" INTEGER NOT NULL PRIMARY KEY);")
run(0 "Script executed successfully" db execute --file drift.sql --url ${dev})
run(1 "Drift detected.*added table `Stray`" migrate dev --name after_drift --url ${dev})
run(0 "No pending migrations.*warning: drift: the database differs.*added table `Stray`" migrate deploy --drift-check --url ${dev})
# deploy does what Prisma's does and no more: no shadow database, no drift report by default
run(0 "No pending migrations" migrate deploy --url ${dev})
if(last_all MATCHES "drift")
  message(FATAL_ERROR "migrate deploy checked drift without --drift-check:\n${last_all}")
endif()

# db push back to A on a database with rows: refused, then accepted
file(WRITE ${WORK}/rows.sql "INSERT INTO \"User\" (\"email\", \"age\", \"name\") VALUES ('a@x.io', 1, 'Ann');")
run(0 "Script executed successfully" db execute --file rows.sql --url ${pushed})
configure_file(${fixtures}/a.prisma ${WORK}/prisma/schema.prisma COPYONLY)
run(1 "There might be data loss.*drop the column `name`.*Nothing was changed" db push --url ${pushed})
run(0 "in sync with your Prisma schema" db push --url ${pushed} --accept-data-loss)
run(0 "-- This is an empty migration." migrate diff --from-url ${pushed} --to-schema prisma/schema.prisma --script ${shadow})

# db pull of a database that holds B: what Prisma 7.10's db pull wrote for it (b_pulled.prisma),
# a schema that validates, and whose DDL builds the same catalog
run(0 "in sync with your Prisma schema" db push --schema ${fixtures}/b.prisma --url ${pullsrc})
run(0 "" db pull --print --schema fresh/schema.prisma --url ${pullsrc})  # no schema there: a first pull
file(READ ${fixtures}/b_pulled.prisma prisma_pulled)
if(NOT last_out STREQUAL prisma_pulled)
  message(FATAL_ERROR "db pull differs from Prisma 7.10's:\n--- prisma-cpp\n${last_out}\n--- Prisma\n${prisma_pulled}")
endif()
file(WRITE ${WORK}/pulled/schema.prisma "${last_out}")
run(0 "is valid" validate --schema pulled/schema.prisma)
run(0 "-- This is an empty migration." migrate diff --from-url ${pullsrc} --to-schema pulled/schema.prisma --script ${shadow})
# db pull into an existing schema file keeps its datasource and generator blocks
file(WRITE ${WORK}/kept/schema.prisma "generator client {\n  provider = \"prisma-cpp\"\n  namespace = \"kept\"\n}\n\ndatasource db {\n  provider = \"${PROVIDER}\"\n}\n")
run(0 "Introspected 3 models" db pull --schema kept/schema.prisma --url ${pullsrc})
file(READ ${WORK}/kept/schema.prisma kept)
if(NOT kept MATCHES "namespace = \"kept\"" OR NOT kept MATCHES "model Tag")
  message(FATAL_ERROR "db pull lost the generator block or wrote no models:\n${kept}")
endif()

# re-introspection keeps what the team named: models over tables (@@map), fields over columns
# (@map), relation field names, @updatedAt and the order of the models
file(WRITE ${WORK}/renamed/schema.prisma "datasource db {
  provider = \"${PROVIDER}\"
}

model Person {
  id        Int       @id @default(autoincrement())
  mail      String    @unique @map(\"email\")
  updatedAt DateTime  @updatedAt
  articles  Article[]

  @@map(\"people\")
}

model Article {
  id       Int    @id @default(autoincrement())
  title    String
  writerId Int    @map(\"writer_id\")
  writer   Person @relation(fields: [writerId], references: [id])
}
")
file(READ ${WORK}/renamed/schema.prisma renamed_before)
if(PROVIDER STREQUAL "postgresql")
  set(renamed_url "${server}?schema=rt_renamed_${tag}")
else()
  set(renamed_url "file:${WORK}/renamed.db")
endif()
run(0 "in sync with your Prisma schema" db push --schema renamed/schema.prisma --url ${renamed_url})
run(0 "Introspected 2 models" db pull --schema renamed/schema.prisma --url ${renamed_url})
file(READ ${WORK}/renamed/schema.prisma renamed_after)
if(NOT renamed_after STREQUAL renamed_before)
  message(FATAL_ERROR "re-introspection changed the schema:\n--- before\n${renamed_before}\n--- after\n${renamed_after}")
endif()
