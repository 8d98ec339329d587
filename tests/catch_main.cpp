// The one translation unit with Catch2's main (expensive: compiled once, linked everywhere).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
