# ctest helper: build the libFuzzer target with clang in its own tree, then fuzz the schema
# compiler for SECONDS seconds, starting from every schema of the repository (and Prisma's
# conformance schemas when CONFORMANCE names them). Any finding fails the test.
include(${CMAKE_CURRENT_LIST_DIR}/run_checked.cmake)
run(${CMAKE_COMMAND} -S "${SOURCE}" -B "${WORK}/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_CXX_COMPILER=${CLANG} -DPRISMA_CPP_BUILD_FUZZERS=ON -DPRISMA_CPP_BUILD_TESTS=OFF
    -DPRISMA_CPP_BUILD_EXAMPLES=OFF)
run(${CMAKE_COMMAND} --build "${WORK}/build" --target fuzz_schema)

file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/seeds" "${WORK}/artifacts")
file(GLOB_RECURSE seeds "${SOURCE}/tests/fixtures/*.prisma" "${SOURCE}/examples/*.prisma")
if(CONFORMANCE AND IS_DIRECTORY "${CONFORMANCE}")
  file(GLOB_RECURSE more "${CONFORMANCE}/*.prisma")
  list(APPEND seeds ${more})
endif()
set(i 0)
foreach(s ${seeds})
  file(SIZE "${s}" size)
  if(size LESS 16384)  # small seeds keep executions fast
    math(EXPR i "${i} + 1")
    configure_file("${s}" "${WORK}/seeds/seed_${i}.prisma" COPYONLY)
  endif()
endforeach()
message(STATUS "fuzzing for ${SECONDS} s from ${i} seed schemas")
execute_process(
  COMMAND "${WORK}/build/fuzz/fuzz_schema" -max_total_time=${SECONDS} -timeout=10
          -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
          "-artifact_prefix=${WORK}/artifacts/" "${WORK}/corpus" "${WORK}/seeds"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${err}")
message(STATUS "${runs}")
if(NOT rc EQUAL 0)
  string(LENGTH "${err}" n)
  if(n GREATER 6000)
    math(EXPR start "${n} - 6000")
    string(SUBSTRING "${err}" ${start} 6000 err)
  endif()
  message(FATAL_ERROR "the fuzzer found a problem (artifacts in ${WORK}/artifacts):\n${err}")
endif()
