# ctest helper: a plain Release build (what vcpkg and Conan do; -O3) of the schema compiler and
# the quickstart, every warning an error, in a build folder of its own.
#   -DSOURCE=<repo> -DWORK=<dir> -DCXX=<compiler>
include(${CMAKE_CURRENT_LIST_DIR}/run_checked.cmake)
run(${CMAKE_COMMAND} -S "${SOURCE}" -B "${WORK}" -G Ninja -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DPRISMA_CPP_WERROR=ON -DPRISMA_CPP_BUILD_TESTS=OFF
    -DPRISMA_CPP_BUILD_EXAMPLES=ON)
run(${CMAKE_COMMAND} --build "${WORK}" --target prisma-cpp quickstart)
