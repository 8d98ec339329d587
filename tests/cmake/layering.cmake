# The runtime's headers include only downward (docs/ARCHITECTURE.md, section 1): each header of
# include/prisma/ has a layer, and a header may include headers of its own layer or below. Fails
# naming every upward include.
#   -DINCLUDE_DIR=<repo>/include
#
# The layers, bottom to top (a header's layer is that of the first pattern its path matches):
set(layers
  "0 core/"                                         # values, errors, logging: no model notion
  "1 meta/"                                         # what the generator specialises
  "2 sql/text.hpp|sql/dialect.hpp|sql/statements.hpp|sql/filters.hpp|sql/names.hpp"    # SQL vocabulary: text, the dialect's rules, names
  "3 query/|driver/"                                # query nodes (render through layer 2); drivers
  "4 sql/"                                          # statement shapes over query nodes
  "5 client/"                                       # delegates, writes, transactions
  "6 migrate/|migrate.hpp"                          # migrations (open a client's target)
  "7 model.hpp|prisma.hpp|sqlite.hpp|postgres.hpp|json_nlohmann.hpp"  # umbrellas; optional adapters
  "8 async.hpp")                                    # the asynchronous API over a whole client
function(layer_of path out)
  foreach(l IN LISTS layers)
    string(REGEX MATCH "^([0-9]) (.*)$" _ "${l}")
    set(rank ${CMAKE_MATCH_1})
    string(REPLACE "|" ";" patterns "${CMAKE_MATCH_2}")
    foreach(p IN LISTS patterns)
      string(FIND "${path}" "${p}" at)
      if(at EQUAL 0)
        set(${out} ${rank} PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE headers RELATIVE ${INCLUDE_DIR}/prisma ${INCLUDE_DIR}/prisma/*.hpp)
list(LENGTH headers n)
if(n LESS 20)
  message(FATAL_ERROR "only ${n} headers under ${INCLUDE_DIR}/prisma: the wrong folder")
endif()
set(problems "")
set(edges 0)
foreach(h IN LISTS headers)
  layer_of("${h}" from)
  if(from STREQUAL "")
    string(APPEND problems "\n  ${h}: in no layer (add it to tests/cmake/layering.cmake and ARCHITECTURE.md)")
    continue()
  endif()
  file(STRINGS ${INCLUDE_DIR}/prisma/${h} includes REGEX "^#include \"prisma/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"prisma/([^\"]+)\".*" "\\1" target "${line}")
    layer_of("${target}" to)
    math(EXPR edges "${edges} + 1")
    if(to STREQUAL "")
      string(APPEND problems "\n  ${h} includes ${target}, which is in no layer")
    elseif(to GREATER from)
      string(APPEND problems "\n  ${h} (layer ${from}) includes ${target} (layer ${to}): upward")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "upward includes in include/prisma:${problems}")
endif()
message(STATUS "${n} headers, ${edges} includes of the runtime, none upward")
