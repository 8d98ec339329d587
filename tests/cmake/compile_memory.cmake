# Compiles one translation unit and fails when the compiler's peak resident memory passes a
# limit: a guard on what including a generated client costs that a slow machine cannot make
# flaky (time belongs in benchmarks/compile, not in a test).
#   -DCXX=<compiler> -DFLAGS="<flags>" -DSOURCE=<file.cpp> -DLIMIT_MB=<n> -DTIME=/usr/bin/time
#   -DWORK=<dir for the output and the report>
# With -DMODELS=<n> -DPYTHON=<python3> -DGEN_SCHEMA=<gen_schema.py> -DPRISMA_CPP=<prisma-cpp>, it
# first writes a schema of n models into WORK and generates its client there (namespace `app`,
# on the include path).
foreach(v CXX SOURCE LIMIT_MB TIME WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "compile_memory.cmake: ${v} is required")
  endif()
endforeach()
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
file(MAKE_DIRECTORY ${WORK})
if(DEFINED MODELS)
  execute_process(COMMAND ${PYTHON} ${GEN_SCHEMA} ${MODELS} OUTPUT_FILE ${WORK}/schema.prisma RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gen_schema.py failed")
  endif()
  execute_process(COMMAND ${PRISMA_CPP} generate --schema ${WORK}/schema.prisma --out ${WORK}/gen
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "prisma-cpp generate failed:\n${err}")
  endif()
  list(APPEND flags -I${WORK}/gen)
endif()
set(report ${WORK}/compile_memory.txt)
execute_process(
  COMMAND ${TIME} -f "%M %e" -o ${report} ${CXX} ${flags} -c ${SOURCE} -o ${WORK}/compile_memory.o
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the translation unit does not compile:\n${err}")
endif()
file(STRINGS ${report} lines)
list(GET lines -1 last)
string(REPLACE " " ";" parts "${last}")
list(GET parts 0 kb)
list(GET parts 1 seconds)
math(EXPR mb "${kb} / 1024")
message(STATUS "${SOURCE}: peak ${mb} MB (limit ${LIMIT_MB} MB), ${seconds} s")
if(mb GREATER LIMIT_MB)
  message(FATAL_ERROR "compiling ${SOURCE} took ${mb} MB of memory, more than the ${LIMIT_MB} MB limit")
endif()
