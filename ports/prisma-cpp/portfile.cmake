# vcpkg port of prisma-cpp: the headers, the CMake package and the `prisma-cpp` tool
# (tools/prisma-cpp/). In a cross build the generator comes from the host dependency on this same
# port (vcpkg.json), and prisma_generate() runs it (PRISMA_CPP_EXECUTABLE, set below).
if(DEFINED ENV{PRISMA_CPP_SOURCE_DIR})
  # a local checkout (validation without a download: tests/package/vcpkg_port.cmake)
  set(SOURCE_PATH "$ENV{PRISMA_CPP_SOURCE_DIR}")
else()
  # the release's source tarball (scripts/release builds it with `git archive` and writes its
  # SHA512 here and the version into vcpkg.json), attached to the GitHub release v<version>; in
  # the repository it stays 0 (a commit's tarball cannot name its own hash): the port with the
  # hash is what goes to a vcpkg registry
  vcpkg_download_distfile(ARCHIVE
    URLS "https://github.com/prisma-cpp/prisma-cpp/releases/download/v${VERSION}/prisma-cpp-${VERSION}.tar.gz"
    FILENAME "prisma-cpp-${VERSION}.tar.gz"
    SHA512 0)
  vcpkg_extract_source_archive(SOURCE_PATH ARCHIVE "${ARCHIVE}")
endif()

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DPRISMA_CPP_BUILD_TESTS=OFF
    -DPRISMA_CPP_BUILD_EXAMPLES=OFF
    -DPRISMA_CPP_BUILD_BENCHMARKS=OFF)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/prisma-cpp TOOLS_PATH tools/prisma-cpp)
# prisma-query-engine (a link to prisma-cpp, Prisma's engine command line) goes with the tool
file(REMOVE "${CURRENT_PACKAGES_DIR}/bin/prisma-query-engine" "${CURRENT_PACKAGES_DIR}/debug/bin/prisma-query-engine")
vcpkg_copy_tools(TOOL_NAMES prisma-cpp AUTO_CLEAN)
file(CREATE_LINK prisma-cpp "${CURRENT_PACKAGES_DIR}/tools/${PORT}/prisma-query-engine" SYMBOLIC)

# header-only: nothing of the debug tree but what vcpkg requires
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
set(VCPKG_POLICY_EMPTY_INCLUDE_FOLDER disabled)

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
