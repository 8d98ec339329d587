# ctest helper: compile SOURCE (syntax only) and pass only if the compiler rejects it with a
# message matching EXPECT (the first `// expect: <regex>` line of the file). `// expect: compiles`
# marks the control case that must compile with the same flags.
file(STRINGS "${SOURCE}" expect_line REGEX "^// expect: " LIMIT_COUNT 1)
if(NOT expect_line)
  message(FATAL_ERROR "${SOURCE} has no `// expect: <regex>` line")
endif()
string(REGEX REPLACE "^// expect: " "" expect "${expect_line}")
separate_arguments(flags NATIVE_COMMAND "${FLAGS}")
execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only ${flags} "${SOURCE}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(expect STREQUAL "compiles")  # the harness's own control: the same flags accept good code
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must compile:\n${err}")
  endif()
  return()
endif()
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not")
endif()
if(NOT err MATCHES "${expect}")
  message(FATAL_ERROR "${SOURCE} failed to compile without the expected message /${expect}/:\n${err}")
endif()
message(STATUS "rejected as expected: /${expect}/")
