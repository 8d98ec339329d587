# ctest helper: pgvector through TypedSQL on the test server. Needs pgvector installed in the
# server (scripts/dev test builds it from ../shared/tools/pgvector-0.8.6). Installs this build,
# deploys the migrations (the extension, the table, the HNSW index) into a schema of their own,
# builds the project (prisma_generate describes sql/*.sql on the server) and runs it.
set(SCHEMA_NAME pgvector)
include(${SOURCE}/tests/typed_sql/pg_prefix.cmake)
set(dir "${SOURCE}/tests/typed_sql/pgvector")
run("${prefix}/bin/prisma-cpp" migrate reset --force --schema "${dir}/schema.prisma" --migrations "${dir}/migrations"
    --url "${url}")
run(${CMAKE_COMMAND} -S "${dir}" -B "${WORK}/build" -G Ninja "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_CXX_COMPILER=${CXX} "-DPG_URL=${url}")
run(${CMAKE_COMMAND} --build "${WORK}/build")
run("${WORK}/build/pgvector_typed_sql" "${url}")
# the same search through `prisma-cpp serve` (queryRaw, as another language's client sends it)
find_program(PYTHON3 python3 REQUIRED)
execute_process(COMMAND ${PYTHON3} "${dir}/serve_raw.py" "${prefix}/bin/prisma-cpp" "${dir}/schema.prisma" "${url}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "nearest neighbours answered")
  message(FATAL_ERROR "serve's queryRaw did not answer the pgvector search:\n${out}\n${err}")
endif()
message(STATUS "${out}")
