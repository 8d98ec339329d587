# Shared by the PostgreSQL TypedSQL tests (included with SCHEMA_NAME set): `url`, the test server's
# URL with a schema of the test's own; `prefix`, this build installed afresh under WORK; run().
file(REMOVE_RECURSE "${WORK}")
include(${SOURCE}/tests/cmake/run_checked.cmake)
file(READ "${PG_URL_FILE}" url)
string(STRIP "${url}" url)
if(url MATCHES "\\?")
  set(url "${url}&schema=${SCHEMA_NAME}")
else()
  set(url "${url}?schema=${SCHEMA_NAME}")
endif()
set(prefix "${WORK}/prefix")
run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}")
