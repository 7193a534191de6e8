// citydip: the command-line entry point. All work happens in the cli and app modules.
#include <iostream>

#include "citydip/cli/cli.h"

int main(int argc, char** argv) {
  return citydip::cli::RunCli(argc, argv, std::cout, std::cerr);
}
