# A generated client includes its own backend only: lists the headers a translation unit of
# `#include <HEADER>` reads (the compiler's -M) and fails when one matches FORBIDDEN or none
# matches REQUIRED.
#   -DCXX=<compiler> -DFLAGS="<-I...>" -DHEADER=<ns/client.hpp> -DFORBIDDEN=<regex> -DREQUIRED=<regex>
#   -DWORK=<dir>
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/tu.cpp "#include <${HEADER}>\n")
execute_process(COMMAND ${CXX} -std=c++20 ${flags} -M ${WORK}/tu.cpp
                OUTPUT_VARIABLE deps ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${HEADER} does not preprocess:\n${err}")
endif()
if(deps MATCHES "${FORBIDDEN}")
  message(FATAL_ERROR "${HEADER} reads ${CMAKE_MATCH_0}, another backend's header")
endif()
if(NOT deps MATCHES "${REQUIRED}")
  message(FATAL_ERROR "${HEADER} does not read its backend's header (${REQUIRED})")
endif()
