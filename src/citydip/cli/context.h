// What every CLI subcommand shares: global options, the output streams and the exit code.
// Each command group lives in its own file and registers itself with a Register...Command
// function (see cli.cpp), so adding a command never touches another group's code.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "citydip/core/result.h"

namespace citydip::cli {

struct CliContext {
  /// --db: a SQLite file path (default ./citydip.db) or a postgresql:// URL.
  std::string db = "citydip.db";
  /// --quiet: no progress output.
  bool quiet = false;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  /// Set by the command that ran: 0 ok, 1 bad input or not found, 3 unavailable, 4 internal.
  int exit_code = 0;
};

/// Prints `error` as "citydip: <where>: <message>" on ctx.err and sets the exit code from its
/// code (the one mapping, citydip::ExitCodeFor).
void ReportError(CliContext& ctx, const Error& error);

/// Prints a result's error, if any, and returns whether it succeeded.
template <typename T>
bool Check(CliContext& ctx, const Result<T>& result) {
  if (!result) {
    ReportError(ctx, result.error());
    return false;
  }
  return true;
}

// Command groups (one file each).
void RegisterRegistryCommands(CLI::App& root,
                              CliContext& ctx);              // init import export list show stats
void RegisterGdeltCommand(CLI::App& root, CliContext& ctx);  // gdelt ingest|series|fetch
void RegisterWarehouseCommand(CLI::App& root, CliContext& ctx);  // warehouse init
void RegisterAnalyzeCommand(CLI::App& root, CliContext& ctx);    // analyze NAME
void RegisterNetworkCommand(CLI::App& root, CliContext& ctx);    // network ...
void RegisterStrategyCommand(CLI::App& root, CliContext& ctx);   // strategy ...; scenario; watch
void RegisterServeCommand(CLI::App& root, CliContext& ctx);      // serve
void RegisterUserCommands(CLI::App& root, CliContext& ctx);      // user add|list|...; audit
void RegisterReportCommand(CLI::App& root, CliContext& ctx);     // report (HTML, PDF, Excel)

}  // namespace citydip::cli
