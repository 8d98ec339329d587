# ctest helper: `prisma-cpp format` on a bare file name in the working directory (its parent
# path is empty) rewrites the file in place, and `format --check` then finds nothing to change.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(COPY_FILE "${SCHEMA}" "${WORK}/schema.prisma")
foreach(args "format;--schema;schema.prisma" "format;--check;--schema;schema.prisma")
  execute_process(COMMAND "${EXE}" ${args} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "prisma-cpp ${args} failed (${rc}):\n${err}")
  endif()
endforeach()
