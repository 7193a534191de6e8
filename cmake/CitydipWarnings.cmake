# An INTERFACE target carrying citydip's warning flags; linked PRIVATE by every module.
add_library(citydip_warnings INTERFACE)
add_library(citydip::warnings ALIAS citydip_warnings)
target_compile_options(citydip_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${CITYDIP_WARNINGS_AS_ERRORS}>:-Werror>)
