# vcpkg port of prisma-cpp: the headers, the CMake package and the `prisma-cpp` tool
# (tools/prisma-cpp/). In a cross build the generator comes from the host dependency on this same
# port (vcpkg.json), and prisma_generate() runs it (PRISMA_CPP_EXECUTABLE, set below).
if(DEFINED ENV{PRISMA_CPP_SOURCE_DIR})
  # a local checkout (validation without a download: tests/package/vcpkg_port.cmake)
  set(SOURCE_PATH "$ENV{PRISMA_CPP_SOURCE_DIR}")
else()
  vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO prisma-cpp/prisma-cpp
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main)
endif()

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DPRISMA_CPP_BUILD_TESTS=OFF
    -DPRISMA_CPP_BUILD_EXAMPLES=OFF
    -DPRISMA_CPP_BUILD_BENCHMARKS=OFF)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/prisma-cpp TOOLS_PATH tools/prisma-cpp)
vcpkg_copy_tools(TOOL_NAMES prisma-cpp AUTO_CLEAN)

# header-only: nothing of the debug tree but what vcpkg requires
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
set(VCPKG_POLICY_EMPTY_INCLUDE_FOLDER disabled)

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
# The project has no license file yet: the copyright file says so (choose one before publishing).
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
     "prisma-cpp ${VERSION}: no license file has been published with this version; all rights reserved.\n")
