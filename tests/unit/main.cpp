// The one main() of sqlwarden_tests; test cases live in tests/unit/**/*_test.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
