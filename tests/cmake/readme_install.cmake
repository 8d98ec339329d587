# The README's install section, run as written: the `cmake --install build --prefix ...` line and
# the first ```cmake block of "## Using it from another project" are read from README.md (not
# copied here), the prefix and the build folder replaced by this test's; the block is then the body
# of a new project's CMakeLists.txt (its `app` target, its prisma/schema.prisma), which is built and
# run: a row written to SQLite and read back, and the async and migrate targets it links.
#   -DSOURCE=<checkout> -DBUILD=<build dir> -DWORK=<dir> -DCXX=<compiler>
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/app/prisma")
file(READ "${SOURCE}/README.md" readme)
string(FIND "${readme}" "\n## Using it from another project\n" at)
if(at LESS 0)
  message(FATAL_ERROR "README.md has no '## Using it from another project' section")
endif()
string(SUBSTRING "${readme}" ${at} -1 section)
string(SUBSTRING "${section}" 1 -1 rest)  # up to the next section
string(FIND "${rest}" "\n## " end)
string(SUBSTRING "${rest}" 0 ${end} section)

# the install command
if(NOT section MATCHES "`cmake --install build --prefix ([^`]+)`")
  message(FATAL_ERROR "the section has no `cmake --install build --prefix <dir>` command")
endif()
set(readme_prefix "${CMAKE_MATCH_1}")
set(prefix "${WORK}/prefix")
include(${CMAKE_CURRENT_LIST_DIR}/run_checked.cmake)  # run(): fails with the command's output
run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}")

# the ```cmake block, as the project's CMakeLists.txt
string(FIND "${section}" "```cmake\n" b)
if(b LESS 0)
  message(FATAL_ERROR "the section has no ```cmake block")
endif()
math(EXPR b "${b} + 9")
string(SUBSTRING "${section}" ${b} -1 block)
string(FIND "${block}" "```" e)
string(SUBSTRING "${block}" 0 ${e} block)
if(NOT block MATCHES "find_package\\(prisma-cpp" OR NOT block MATCHES "prisma_generate\\(TARGET app_db SCHEMA prisma/schema.prisma NAMESPACE app\\)")
  message(FATAL_ERROR "the README's cmake block no longer has find_package(prisma-cpp ...) and prisma_generate(TARGET app_db ...):\n${block}")
endif()
string(REPLACE "${readme_prefix}" "${prefix}" block "${block}")
file(WRITE "${WORK}/app/CMakeLists.txt"
     "cmake_minimum_required(VERSION 3.25)\nproject(readme_app LANGUAGES CXX)\nset(CMAKE_CXX_STANDARD 20)\n"
     "add_executable(app main.cpp)\n# --- from README.md ---\n${block}")
file(WRITE "${WORK}/app/prisma/schema.prisma"
     "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n")
file(WRITE "${WORK}/app/main.cpp" [=[
#include <app/client.hpp>
#include <app/models/Note.hpp>
#include <prisma/async.hpp>
#include <prisma/migrate.hpp>

#include <cstdio>
#include <filesystem>

int main() {
  auto file = std::filesystem::current_path() / "readme_app.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  auto db = app::Client::open("file:" + file.string());
  db.push_schema();
  db.note.create({.text = "installed as the README says"});
  auto back = db.note.find_unique(app::note::id == 1);
  std::printf("%s\n", back ? back->text.c_str() : "(none)");
  return back && back->text == "installed as the README says" ? 0 : 1;
}
]=])
# CMAKE_PREFIX_PATH as the README's comment says
run(${CMAKE_COMMAND} -S "${WORK}/app" -B "${WORK}/build" -G Ninja "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_CXX_COMPILER=${CXX})
run(${CMAKE_COMMAND} --build "${WORK}/build")
execute_process(COMMAND "${WORK}/build/app" WORKING_DIRECTORY "${WORK}/build" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "installed as the README says\n")
  message(FATAL_ERROR "the README's project did not read its row back: ${rc} ${out}")
endif()
message(STATUS "README install section: installed, configured, built and ran")
