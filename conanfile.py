"""Conan 2 recipe for prisma-cpp: the header-only runtime (prisma/*.hpp), the `prisma-cpp` schema
compiler, and the CMake package (find_package(prisma-cpp), prisma_generate()).

    conan create . --build=missing                      # from Conan Center's boost, sqlite3, ...
    conan create . -pr:a tests/package/system.profile   # the system's (Debian's) libraries instead

As a tool for cross builds, put it in both places: `requires` (the headers, for the host) and
`tool_requires` (the generator, run on the build machine); prisma_generate() then runs the
`prisma-cpp` found on PATH when CMAKE_CROSSCOMPILING.
"""
import os
import re

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load
from conan.tools.gnu import PkgConfigDeps


class PrismaCppConan(ConanFile):
    name = "prisma-cpp"
    description = "A C++20, header-only, compile-time ORM whose single source of truth is a Prisma schema"
    topics = ("orm", "prisma", "sqlite", "postgresql", "header-only", "code-generation")
    license = "Apache-2.0"
    url = "https://github.com/prisma-cpp/prisma-cpp"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_async": [True, False]}
    default_options = {"with_async": False}
    exports_sources = "CMakeLists.txt", "cmake/*", "codegen/*", "include/*", "README.md", "LICENSE"

    def set_version(self):
        # one place: the CMake project's version (also the tool's --version, the package config and the vcpkg port)
        cmake = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(prisma-cpp VERSION ([0-9.]+)", cmake).group(1)

    def requirements(self):
        # Boost: PFR and Hana (runtime), Asio/Beast/JSON (the tool's serve/studio), Context (async)
        self.requires("boost/[>=1.81.0 <2]")
        self.requires("sqlite3/[>=3.35 <4]")
        self.requires("libpqxx/[>=6.4 <8]")
        self.requires("openssl/[>=3 <4]")  # migrations: SHA-256 checksums; studio: tokens

    def validate(self):
        from conan.tools.build import check_min_cppstd
        check_min_cppstd(self, 20)

    def layout(self):
        cmake_layout(self)

    def generate(self):
        CMakeDeps(self).generate()
        PkgConfigDeps(self).generate()  # the build finds libpqxx and libpq through pkg-config
        tc = CMakeToolchain(self)
        tc.variables["PRISMA_CPP_BUILD_TESTS"] = False
        tc.variables["PRISMA_CPP_BUILD_EXAMPLES"] = False
        tc.variables["PRISMA_CPP_BUILD_BENCHMARKS"] = False
        tc.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build(target="prisma-cpp")

    def package(self):
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        CMake(self).install()

    def package_info(self):
        # consumers use the package's own config (prisma-cpp::prisma, ::migrate, ::async, prisma_generate)
        self.cpp_info.set_property("cmake_find_mode", "none")
        self.cpp_info.builddirs.append(os.path.join("lib", "cmake", "prisma-cpp"))
        self.cpp_info.includedirs = ["include"]
        self.cpp_info.libdirs = []
        self.cpp_info.bindirs = ["bin"]
        # as a tool_requires: the generator on PATH of the build environment
        self.buildenv_info.prepend_path("PATH", os.path.join(self.package_folder, "bin"))
