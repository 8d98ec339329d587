# ctest helper: the TypedSQL project on PostgreSQL. Installs this build into a fresh prefix,
# creates the schema's tables in a schema of their own on the test server (`prisma-cpp db push`),
# then configures, builds (prisma_generate describes sql/*.sql on the server) and runs it.
set(SCHEMA_NAME typed_sql)
include(${SOURCE}/tests/typed_sql/pg_prefix.cmake)
# the same schema for the postgresql provider
file(READ "${SOURCE}/tests/typed_sql/schema.prisma" schema)
string(REPLACE "provider = \"sqlite\"" "provider = \"postgresql\"" schema "${schema}")
file(WRITE "${WORK}/schema.prisma" "${schema}")
run("${prefix}/bin/prisma-cpp" db push --schema "${WORK}/schema.prisma" --url "${url}" --accept-data-loss)
run(${CMAKE_COMMAND} -S "${SOURCE}/tests/typed_sql/pg_project" -B "${WORK}/build" -G Ninja
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_CXX_COMPILER=${CXX} "-DTYPED_SQL_DIR=${SOURCE}/tests/typed_sql"
    "-DSCHEMA=${WORK}/schema.prisma" "-DPG_URL=${url}")
run(${CMAKE_COMMAND} --build "${WORK}/build")
run("${WORK}/build/typed_sql_pg" "${url}")
