# ctest helper: install this build into a fresh prefix, then configure, build and run
# tests/consumer against it with find_package(prisma-cpp CONFIG REQUIRED); with PG_URL_FILE
# (the test PostgreSQL server's URL), tests/consumer_pg too: a PostgreSQL program.
set(prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
include(${CMAKE_CURRENT_LIST_DIR}/run_checked.cmake)  # run(): fails with the command's output
run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}")
# Prisma's query-engine command line, installed beside the tool (PRISMA_QUERY_ENGINE_BINARY)
execute_process(COMMAND "${prefix}/bin/prisma-query-engine" --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^query-engine [0-9a-f]+\n$")
  message(FATAL_ERROR "the installed prisma-query-engine does not answer --version as Prisma's engine: ${rc} ${out}")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer" -B "${WORK}/build" -G Ninja
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_CXX_COMPILER=${CXX})
run(${CMAKE_COMMAND} --build "${WORK}/build")
run("${WORK}/build/consumer")
run("${WORK}/build/consumer_migrate" "${WORK}/migrated.db")
if(DEFINED PG_URL_FILE)
  file(READ "${PG_URL_FILE}" url)
  string(STRIP "${url}" url)
  run(${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer_pg" -B "${WORK}/build_pg" -G Ninja
      "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_CXX_COMPILER=${CXX})
  run(${CMAKE_COMMAND} --build "${WORK}/build_pg")
  run("${WORK}/build_pg/consumer_pg" "${url}")
endif()
