# Conan 2 profile for building and testing the recipe offline against the system's libraries
# (Debian 12's): nothing is downloaded or built from Conan Center; CMake finds them as usual.
# Used for both contexts (-pr:a): the tool is built in the build context, and both need C++20.
include(default)

[settings]
compiler.cppstd=20

[platform_requires]
boost/1.81.0
sqlite3/3.40.1
libpqxx/6.4.5
openssl/3.0.19

[conf]
tools.cmake.cmaketoolchain:generator=Ninja
