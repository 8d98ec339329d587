# The vcpkg port (ports/prisma-cpp) run as far as this machine allows without vcpkg: its portfile
# is executed with stand-ins for the vcpkg helpers it calls (this file), against the local source
# (PRISMA_CPP_SOURCE_DIR), into a packages tree laid out as vcpkg lays it out (share/<port>,
# tools/<port>); then test_package is configured against that tree with find_package(prisma-cpp),
# built (prisma_generate() running tools/prisma-cpp/prisma-cpp) and run.
#   cmake -DSOURCE=<checkout> -DWORK=<dir> -P vcpkg_port.cmake
# The stand-ins do what vcpkg's documented helpers do for this port; a real `vcpkg install` (with
# vcpkg's own helpers, dependencies and checks) has not been run here: vcpkg is not packaged in Debian.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
set(PORT prisma-cpp)
file(READ "${SOURCE}/ports/prisma-cpp/vcpkg.json" manifest)
string(JSON VERSION GET "${manifest}" version)
set(CURRENT_PACKAGES_DIR "${WORK}/packages/${PORT}")
set(ENV{PRISMA_CPP_SOURCE_DIR} "${SOURCE}")

function(vcpkg_download_distfile)
  message(FATAL_ERROR "the port would download its source: PRISMA_CPP_SOURCE_DIR is not set")
endfunction()
# vcpkg_install_copyright: the license files, concatenated, as share/<port>/copyright
function(vcpkg_install_copyright)
  cmake_parse_arguments(A "" "" "FILE_LIST" ${ARGN})
  set(text "")
  foreach(f IN LISTS A_FILE_LIST)
    file(READ "${f}" part)
    string(APPEND text "${part}")
  endforeach()
  file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright" "${text}")
endfunction()
function(vcpkg_cmake_configure)
  cmake_parse_arguments(A "" "SOURCE_PATH" "OPTIONS" ${ARGN})
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${A_SOURCE_PATH}" -B "${WORK}/build" -G Ninja
                          -DCMAKE_BUILD_TYPE=Release "-DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}" ${A_OPTIONS}
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "configure failed")
  endif()
endfunction()
function(vcpkg_cmake_install)
  execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" --target install RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "build/install failed")
  endif()
endfunction()
# vcpkg_cmake_config_fixup: the config moves to share/<port>, _IMPORT_PREFIX is computed from its
# new depth, executables point into TOOLS_PATH.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(A "" "CONFIG_PATH;TOOLS_PATH" "" ${ARGN})
  set(from "${CURRENT_PACKAGES_DIR}/${A_CONFIG_PATH}")
  set(to "${CURRENT_PACKAGES_DIR}/share/${PORT}")
  if(NOT EXISTS "${from}/prisma-cpp-config.cmake")
    message(FATAL_ERROR "no prisma-cpp-config.cmake in ${A_CONFIG_PATH}")
  endif()
  file(MAKE_DIRECTORY "${to}")
  file(GLOB files "${from}/*")
  foreach(f IN LISTS files)
    get_filename_component(name "${f}" NAME)
    file(RENAME "${f}" "${to}/${name}")
  endforeach()
  file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/lib/cmake")
  file(GLOB targets "${to}/*-targets*.cmake")
  foreach(t IN LISTS targets)
    file(READ "${t}" text)
    # lib/cmake/prisma-cpp is three levels below the prefix, share/prisma-cpp two
    string(REPLACE "get_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)"
                   "get_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)"
                   text "${text}")
    string(REGEX REPLACE "\\\${_IMPORT_PREFIX}/bin/([^ \"]+)" "\${_IMPORT_PREFIX}/${A_TOOLS_PATH}/\\1" text "${text}")
    file(WRITE "${t}" "${text}")
  endforeach()
endfunction()
function(vcpkg_copy_tools)
  cmake_parse_arguments(A "AUTO_CLEAN" "" "TOOL_NAMES" ${ARGN})
  foreach(tool IN LISTS A_TOOL_NAMES)
    file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}/tools/${PORT}")
    file(RENAME "${CURRENT_PACKAGES_DIR}/bin/${tool}" "${CURRENT_PACKAGES_DIR}/tools/${PORT}/${tool}")
  endforeach()
  if(A_AUTO_CLEAN)
    file(GLOB left "${CURRENT_PACKAGES_DIR}/bin/*")
    if(NOT left)
      file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/bin")
    endif()
  endif()
endfunction()

include("${SOURCE}/ports/prisma-cpp/portfile.cmake")

# the tree vcpkg would install
foreach(f include/prisma/prisma.hpp share/prisma-cpp/prisma-cpp-config.cmake share/prisma-cpp/PrismaGenerate.cmake
          share/prisma-cpp/usage share/prisma-cpp/copyright tools/prisma-cpp/prisma-cpp tools/prisma-cpp/prisma-query-engine)
  if(NOT EXISTS "${CURRENT_PACKAGES_DIR}/${f}")
    message(FATAL_ERROR "the port did not install ${f}")
  endif()
endforeach()
if(EXISTS "${CURRENT_PACKAGES_DIR}/bin")
  message(FATAL_ERROR "the port left a bin/ (vcpkg wants its tools in tools/prisma-cpp)")
endif()
file(READ "${CURRENT_PACKAGES_DIR}/share/prisma-cpp/copyright" copyright)
if(NOT copyright MATCHES "Apache License\n *Version 2.0")
  message(FATAL_ERROR "share/prisma-cpp/copyright is not the project's LICENSE (Apache-2.0)")
endif()

# a consumer of that tree: find_package + prisma_generate + a query
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}/test_package" -B "${WORK}/consumer" -G Ninja
                        -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${CURRENT_PACKAGES_DIR}"
                RESULT_VARIABLE rc)
if(NOT rc)
  execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/consumer" RESULT_VARIABLE rc)
endif()
if(NOT rc)
  execute_process(COMMAND "${WORK}/consumer/test_package" WORKING_DIRECTORY "${WORK}/consumer" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out)
  message(STATUS "${out}")
endif()
if(rc)
  message(FATAL_ERROR "the consumer of the port's tree failed (${rc})")
endif()
message(STATUS "vcpkg port: installed tree and consumer OK")
