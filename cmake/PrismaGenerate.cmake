# prisma_generate(TARGET <name> SCHEMA <file-or-folder> [NAMESPACE <ns>] [OUTPUT_DIR <dir>]
#                 [PROVIDER sqlite|postgresql])
#
# Runs `prisma-cpp generate` at build time (again whenever a schema file changes) and defines the
# INTERFACE target <name>: it carries the generated include directory and links
# prisma-cpp::prisma, so `target_link_libraries(app PRIVATE <name>)` is all a user writes.
# The header is <ns>/client.hpp (ns defaults to the target name). PROVIDER generates for another
# provider than the datasource's (one schema, several backends).
include_guard(GLOBAL)

function(prisma_generate)
  cmake_parse_arguments(PG "" "TARGET;SCHEMA;NAMESPACE;OUTPUT_DIR;PROVIDER" "" ${ARGN})
  if(NOT PG_TARGET OR NOT PG_SCHEMA)
    message(FATAL_ERROR "prisma_generate: TARGET and SCHEMA are required")
  endif()
  if(NOT PG_NAMESPACE)
    set(PG_NAMESPACE ${PG_TARGET})
  endif()
  if(NOT PG_OUTPUT_DIR)
    set(PG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${PG_TARGET}_generated)
  endif()
  get_filename_component(schema ${PG_SCHEMA} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  if(IS_DIRECTORY ${schema})
    # CONFIGURE_DEPENDS: adding a .prisma file to the folder re-runs the configure step.
    file(GLOB_RECURSE schema_files CONFIGURE_DEPENDS ${schema}/*.prisma)
  elseif(EXISTS ${schema})
    set(schema_files ${schema})
  else()
    message(FATAL_ERROR "prisma_generate: schema ${PG_SCHEMA} does not exist")
  endif()
  set(header ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/client.hpp)
  set(provider_args)
  if(PG_PROVIDER)
    set(provider_args --provider ${PG_PROVIDER})
  endif()
  set(exe ${PRISMA_CPP_EXECUTABLE})
  if(TARGET prisma-cpp)
    set(exe_dep prisma-cpp)
  elseif(TARGET prisma-cpp::prisma-cpp)
    set(exe_dep prisma-cpp::prisma-cpp)
  endif()
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${exe} generate --schema ${schema} --out ${PG_OUTPUT_DIR} --namespace ${PG_NAMESPACE} ${provider_args}
    DEPENDS ${schema_files} ${exe_dep}
    COMMENT "prisma-cpp: generating ${PG_NAMESPACE}/client.hpp from ${PG_SCHEMA}"
    VERBATIM)
  add_custom_target(${PG_TARGET}_codegen DEPENDS ${header})
  add_library(${PG_TARGET} INTERFACE)
  add_dependencies(${PG_TARGET} ${PG_TARGET}_codegen)
  target_include_directories(${PG_TARGET} INTERFACE ${PG_OUTPUT_DIR})
  if(TARGET prisma-cpp::prisma)
    target_link_libraries(${PG_TARGET} INTERFACE prisma-cpp::prisma)
  endif()
  set_property(TARGET ${PG_TARGET} PROPERTY PRISMA_SCHEMA ${schema})
  set_property(TARGET ${PG_TARGET} PROPERTY PRISMA_HEADER ${header})
endfunction()
