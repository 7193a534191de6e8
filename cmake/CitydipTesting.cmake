# citydip_add_test(NAME name SOURCES a.cpp ... DEPS target ... [LABELS l ...])
# Builds a GoogleTest executable and registers each of its tests with ctest.
find_package(GTest REQUIRED)
include(GoogleTest)

function(citydip_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} citydip::warnings GTest::gtest_main
                                            GTest::gmock)
  target_compile_definitions(${ARG_NAME} PRIVATE
    CITYDIP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CITYDIP_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # CITYDIP_MODULE_DIR: where the store factory finds the backend modules (citydip-postgres.so);
  # a test binary does not live next to them as build/citydip does.
  gtest_discover_tests(${ARG_NAME}
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    PROPERTIES ENVIRONMENT "CITYDIP_MODULE_DIR=${PROJECT_BINARY_DIR}"
    DISCOVERY_TIMEOUT 60)
  # The labels: passed through gtest_discover_tests' PROPERTIES, a list loses all but its first
  # element on the way to the discovery script (`-L postgres` found no test). The discovered
  # tests are listed in ${ARG_NAME}_TESTS when ctest reads the directory, so a file read after
  # the discovery's own labels them all.
  if(ARG_LABELS)
    set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_labels.cmake")
    file(WRITE "${labels_file}"
      "if(${ARG_NAME}_TESTS)\n"
      "  set_tests_properties(\${${ARG_NAME}_TESTS} PROPERTIES LABELS \"${ARG_LABELS}\")\n"
      "endif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
  endif()
endfunction()
