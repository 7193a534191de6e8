// report: the briefing on a home city's relation with a partner as HTML, PDF or Excel
// (docs/reports.md). A thin adapter over app::WriteReport.
#include <memory>
#include <string>

#include "citydip/app/report_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/context.h"

namespace citydip::cli {
namespace {

struct ReportArgs {
  app::ReportRequest request;
  std::string format;
  std::string output;
};

/// The format from --format, else from the output file's extension.
Result<app::ReportFormat> FormatOf(const ReportArgs& args) {
  if (!args.format.empty()) {
    return app::ParseReportFormat(args.format);
  }
  const auto dot = args.output.rfind('.');
  const std::string extension = dot == std::string::npos ? "" : args.output.substr(dot + 1);
  if (extension == "htm") {
    return app::ReportFormat::kHtml;
  }
  if (extension == "html" || extension == "pdf" || extension == "xlsx") {
    return app::ParseReportFormat(extension);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "cannot tell the format from '" + args.output + "': give --format html, pdf or xlsx",
              "--format");
}

}  // namespace

void RegisterReportCommand(CLI::App& root, CliContext& ctx) {
  auto args = std::make_shared<ReportArgs>();
  auto* command = root.add_subcommand(
      "report",
      "a briefing on the home city's relation with a partner: profile, events with sources, "
      "statistics, scorecard, network openings, analyses (HTML, PDF or Excel)");
  command->add_option("--home", args->request.home, "home city (English, Korean or Chinese name)")
      ->required();
  command->add_option("--partner", args->request.partner, "partner city")->required();
  command->add_option("--from", args->request.from, "events from YYYY[-MM[-DD]]");
  command->add_option("--to", args->request.to, "events to YYYY[-MM[-DD]] (inclusive)");
  command
      ->add_option("--format", args->format,
                   "html, pdf (headless Chromium) or xlsx (default: from the -o extension)")
      ->check(CLI::IsMember({"html", "pdf", "xlsx"}));
  command->add_option("-o,--output", args->output, "output file")->required();
  command->add_option("--lang", args->request.lang, "labels: en or ko")
      ->check(CLI::IsMember({"en", "ko"}))
      ->capture_default_str();
  command->add_option("--strategy", args->request.strategy_path,
                      "strategy file for the scorecard (default: data/strategy/seoul-china.toml "
                      "under $CITYDIP_DATA_DIR or ./data)");
  command->add_option("--as-of", args->request.as_of,
                      "reference date of the scorecard and the networks (default: today)");
  command->callback([&ctx, args] {
    auto format = FormatOf(*args);
    if (!Check(ctx, format)) {
      return;
    }
    args->request.format = *format;
    args->request.db = ctx.db;
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto written = app::WriteReport(**store, args->request, args->output);
    if (!Check(ctx, written)) {
      return;
    }
    if (!ctx.quiet) {
      for (const auto& missing : written->missing) {
        *ctx.err << "citydip: note: " << missing << "\n";
      }
      *ctx.out << "wrote " << args->output << " (" << app::ReportFormatName(written->format) << ", "
               << written->bytes.size() << " bytes)\n";
    }
  });
}

}  // namespace citydip::cli
