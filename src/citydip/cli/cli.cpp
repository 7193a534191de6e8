#include "citydip/cli/cli.h"

#include <exception>
#include <string>

#include "citydip/cli/context.h"

namespace citydip::cli {

void ReportError(CliContext& ctx, const Error& error) {
  *ctx.err << "citydip: " << error.ToString() << "\n";
  ctx.exit_code = ExitCodeFor(error.code);
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CliContext ctx;
  ctx.out = &out;
  ctx.err = &err;

  CLI::App root{
      "citydip: an observatory and strategy engine for city diplomacy\n"
      "(sister cities, mayors' visits, joint committees, city networks, GDELT barometers)",
      "citydip"};
  root.set_version_flag("--version", "citydip 0.1.0");
  root.add_option("--db", ctx.db, "registry: a SQLite file or a postgresql:// URL")
      ->capture_default_str()
      ->envname("CITYDIP_DB");
  root.add_flag("-q,--quiet", ctx.quiet, "no progress output");
  root.require_subcommand(1);

  RegisterRegistryCommands(root, ctx);
#ifdef CITYDIP_CLI_HAS_GDELT
  RegisterGdeltCommand(root, ctx);
  RegisterWarehouseCommand(root, ctx);
#endif
#ifdef CITYDIP_CLI_HAS_ANALYZE
  RegisterAnalyzeCommand(root, ctx);
#endif
#ifdef CITYDIP_CLI_HAS_NETWORK
  RegisterNetworkCommand(root, ctx);
#endif
#ifdef CITYDIP_CLI_HAS_STRATEGY
  RegisterStrategyCommand(root, ctx);
#endif
#ifdef CITYDIP_CLI_HAS_REPORT
  RegisterReportCommand(root, ctx);
#endif
#ifdef CITYDIP_CLI_HAS_SERVER
  RegisterServeCommand(root, ctx);
  RegisterUserCommands(root, ctx);
#endif

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Help and version are "errors" with exit code 0 in CLI11.
    const int code = root.exit(error, out, err);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& error) {  // the CLI's catch-all boundary
    err << "citydip: internal error: " << error.what() << "\n";
    return ExitCodeFor(ErrorCode::kInternal);
  }
  return ctx.exit_code;
}

}  // namespace citydip::cli
