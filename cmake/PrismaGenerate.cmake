# prisma_generate(TARGET <name> SCHEMA <file-or-folder> [NAMESPACE <ns>] [OUTPUT_DIR <dir>]
#                 [PROVIDER sqlite|postgresql] [SHARDS <n>] [SQL_DIR <dir> [SQL_URL <url>]])
#
# Runs `prisma-cpp generate` at build time (again whenever a schema file changes) and defines the
# static library <name>: the generated library (<ns>/nested_<k>.cpp, SHARDS files of the models'
# metadata for nested writes, default one per 8 models; <ns>/executor.cpp, the nested-write
# executor; <ns>/schema.cpp, the DDL), with the generated include directory and prisma-cpp::prisma
# (and libpqxx for a PostgreSQL schema, found with pkg-config) as usage requirements, so
# `target_link_libraries(app PRIVATE <name>)` is all a user writes.
# The headers (ns defaults to the target name): <ns>/client.hpp (the Client), <ns>/models/<Model>.hpp
# (one per model: include those a file uses), <ns>/enums.hpp, and <ns>/all.hpp (the Client and
# every model). PROVIDER generates for another provider than the datasource's (one schema,
# several backends). SQL_DIR (Prisma's prisma/sql): TypedSQL, each <name>.sql a typed function
# db.sql.<name>(args...) in <ns>/sql.hpp, its types read from a real database at build time (a
# SQLite schema's tables in memory; PostgreSQL: the server at SQL_URL, else DATABASE_URL).
include_guard(GLOBAL)

function(prisma_generate)
  cmake_parse_arguments(PG "" "TARGET;SCHEMA;NAMESPACE;OUTPUT_DIR;PROVIDER;SHARDS;SQL_DIR;SQL_URL" "" ${ARGN})
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
    set(provider ${PG_PROVIDER})
  else()
    # The datasource's provider decides the backend the library links.
    set(provider "")
    foreach(f ${schema_files})
      file(READ ${f} text)
      if(text MATCHES "datasource[ \t\r\n]+[A-Za-z0-9_]+[ \t\r\n]*{[^}]*provider[ \t]*=[ \t]*\"([a-z]+)\"")
        set(provider ${CMAKE_MATCH_1})
      endif()
    endforeach()
  endif()
  if(NOT PG_SHARDS)
    # One part of the nested-write library per 8 models (built in parallel; a model's part
    # is rebuilt when it or a model it relates to changes).
    set(models 0)
    foreach(f ${schema_files})
      file(READ ${f} text)
      string(REGEX MATCHALL "(^|\n)[ \t]*model[ \t]+[A-Za-z]" found "${text}")
      list(LENGTH found n)
      math(EXPR models "${models} + ${n}")
    endforeach()
    math(EXPR PG_SHARDS "(${models} + 7) / 8")
    if(PG_SHARDS LESS 1)
      set(PG_SHARDS 1)
    elseif(PG_SHARDS GREATER 64)
      set(PG_SHARDS 64)
    endif()
  endif()
  set(sources)
  math(EXPR last "${PG_SHARDS} - 1")
  foreach(k RANGE ${last})
    list(APPEND sources ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/nested_${k}.cpp)
  endforeach()
  list(APPEND sources ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/executor.cpp ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/schema.cpp)
  set(exe ${PRISMA_CPP_EXECUTABLE})
  if(TARGET prisma-cpp)
    set(exe_dep prisma-cpp)
  elseif(TARGET prisma-cpp::prisma-cpp)
    set(exe_dep prisma-cpp::prisma-cpp)
  endif()
  # TypedSQL (SQL_DIR: Prisma's prisma/sql): <ns>/sql.hpp, db.sql.<name>(...); a PostgreSQL
  # schema's queries are described by the server at SQL_URL (else DATABASE_URL at build time).
  set(sql_args)
  set(sql_outputs)
  set(sql_files)
  if(PG_SQL_DIR)
    get_filename_component(sql_dir ${PG_SQL_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(GLOB sql_files CONFIGURE_DEPENDS ${sql_dir}/*.sql)
    set(sql_args --sql-dir ${sql_dir})
    if(PG_SQL_URL)
      list(APPEND sql_args --sql-url ${PG_SQL_URL})
    endif()
    set(sql_outputs ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/sql.hpp)
  endif()
  add_custom_command(
    OUTPUT ${header} ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/all.hpp ${PG_OUTPUT_DIR}/${PG_NAMESPACE}/enums.hpp ${sources}
           ${sql_outputs}
    COMMAND ${exe} generate --schema ${schema} --out ${PG_OUTPUT_DIR} --namespace ${PG_NAMESPACE}
            --shards ${PG_SHARDS} ${provider_args} ${sql_args}
    DEPENDS ${schema_files} ${exe_dep} ${sql_files}
    COMMENT "prisma-cpp: generating ${PG_NAMESPACE}/ (client.hpp, models/*.hpp) from ${PG_SCHEMA}"
    VERBATIM)
  add_custom_target(${PG_TARGET}_codegen DEPENDS ${header})
  add_library(${PG_TARGET} STATIC ${sources})
  # The library runs nested writes only (several statements each, waiting on the database), not
  # the single-statement paths: -O1 builds the executor in about 60% of -O2's time. Debug builds
  # keep -O0.
  set_source_files_properties(${sources} PROPERTIES
    COMPILE_OPTIONS "$<$<AND:$<NOT:$<CONFIG:Debug>>,$<CXX_COMPILER_ID:GNU,Clang>>:-O1>")
  add_dependencies(${PG_TARGET} ${PG_TARGET}_codegen)
  target_include_directories(${PG_TARGET} PUBLIC ${PG_OUTPUT_DIR})
  target_compile_features(${PG_TARGET} PUBLIC cxx_std_20)
  if(TARGET prisma-cpp::prisma)
    target_link_libraries(${PG_TARGET} PUBLIC prisma-cpp::prisma)
  endif()
  if(provider STREQUAL "postgresql")
    if(NOT TARGET PkgConfig::PRISMA_CPP_PQXX)
      find_package(PkgConfig REQUIRED)
      pkg_check_modules(PRISMA_CPP_PQXX REQUIRED IMPORTED_TARGET GLOBAL libpqxx)
    endif()
    target_link_libraries(${PG_TARGET} PUBLIC PkgConfig::PRISMA_CPP_PQXX)
  endif()
  set_property(TARGET ${PG_TARGET} PROPERTY PRISMA_SCHEMA ${schema})
  set_property(TARGET ${PG_TARGET} PROPERTY PRISMA_HEADER ${header})
endfunction()
