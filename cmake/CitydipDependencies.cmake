# Every third-party dependency, found once, from Debian's packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)

# tl::expected (libexpected-dev) is header-only; Debian ships a CMake config for it.
find_package(tl-expected CONFIG QUIET)
if(NOT TARGET tl::expected)
  find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)
  add_library(tl::expected INTERFACE IMPORTED)
  target_include_directories(tl::expected INTERFACE ${TL_EXPECTED_INCLUDE_DIR})
endif()
