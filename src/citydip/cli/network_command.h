// The network command group (network_command.cpp) and the twinning import it lends to `import`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "citydip/cli/context.h"

namespace citydip::cli {

/// `citydip import --kind twinning FILE...`: imports Wikidata twin-town pairs (12-column TSV) and
/// prints what was created, reused and left out (JSON with `json`).
void RunTwinningImport(CliContext& ctx,
                       const std::vector<std::string>& files,
                       std::size_t max_errors,
                       bool json);

}  // namespace citydip::cli
