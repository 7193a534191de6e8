// Read-only views computed from the registry: GET /api/stats, GET /api/profile?city=NAME, and the
// analyses, networks, strategy scorecard and GDELT series where this build has them (a 501 that
// names what is missing where it does not). GET /api/features tells the dashboard which are there.
// Each optional part is compiled in when the app module has its service (server/CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

// The app headers come before server_impl.h: httplib.h pulls in <resolv.h>, whose `_res` macro
// would break Eigen's templates (included by the strategy service) if it were defined first.
#include "citydip/app/registry_service.h"
#include "citydip/app/report_service.h"
#ifdef CITYDIP_SERVER_HAS_STRATEGY
#include "citydip/app/strategy_service.h"
#endif
#ifdef CITYDIP_SERVER_HAS_NETWORK
#include "citydip/app/network_service.h"
#endif
#ifdef CITYDIP_SERVER_HAS_GDELT
#include "citydip/app/gdelt_service.h"
#endif
#ifdef CITYDIP_SERVER_HAS_ANALYSIS
#include "citydip/app/analysis_service.h"
#endif

#include "citydip/server/internal/server_impl.h"

namespace citydip::server::internal {
namespace {

constexpr bool kHasStrategy =
#ifdef CITYDIP_SERVER_HAS_STRATEGY
    true;
#else
    false;
#endif
constexpr bool kHasNetwork =
#ifdef CITYDIP_SERVER_HAS_NETWORK
    true;
#else
    false;
#endif
constexpr bool kHasGdelt =
#ifdef CITYDIP_SERVER_HAS_GDELT
    true;
#else
    false;
#endif
constexpr bool kHasAnalyses =
#ifdef CITYDIP_SERVER_HAS_ANALYSIS
    true;
#else
    false;
#endif

// Which optional parts this build has; the dashboard shows "not available" for the others.
// `inputs` says which optional data files are there, so that pages ask only for what can be
// answered (a page that asks for a missing strategy file would log a failed request).
nlohmann::json Features() {
  nlohmann::json inputs = nlohmann::json::object();
#ifdef CITYDIP_SERVER_HAS_STRATEGY
  const std::string plan = app::DefaultStrategyPath();
  std::error_code error;
  inputs["strategy_plan"] = {{"path", plan},
                             {"found", std::filesystem::is_regular_file(plan, error)}};
#endif
  return {{"analyses", kHasAnalyses},
          {"strategy", kHasStrategy},
          {"gdelt", kHasGdelt},
          {"network", kHasNetwork},
          {"inputs", inputs}};
}

// Unknown query parameters are refused, so that a typo does not silently change the answer.
bool OnlyParameters(RequestContext& context, std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : context.request().params) {
    bool known = false;
    std::string names;
    for (std::string_view candidate : allowed) {
      known = known || candidate == name;
      names += (names.empty() ? "" : ", ") + std::string(candidate);
    }
    if (!known) {
      SendError(context.response(), {ErrorCode::kInvalidArgument,
                                     "unknown parameter '" + name + "' (expected " +
                                         (names.empty() ? std::string("none") : names) + ")",
                                     name});
      return false;
    }
  }
  return true;
}

bool StoreOrReply(RequestContext& context, storage::Store*& store) {
  auto registry = context.Registry();
  if (!registry) {
    SendError(context.response(), registry.error());
    return false;
  }
  store = *registry;
  return true;
}

void Stats(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {}) || !StoreOrReply(context, store)) {
    return;
  }
  auto stats = app::ComputeStats(*store);
  SendResult(context.response(), stats, [](const app::Stats& value) { return app::ToJson(value); });
}

void Profile(RequestContext& context) {
  if (!OnlyParameters(context, {"city"})) {
    return;
  }
  const std::string city = context.request().get_param_value("city");
  if (city.empty()) {
    SendError(context.response(),
              {ErrorCode::kInvalidArgument,
               "the city is missing (expected ?city=NAME, e.g. Beijing or Beijing,CHN)", "city"});
    return;
  }
  storage::Store* store = nullptr;
  if (!StoreOrReply(context, store)) {
    return;
  }
  auto profile = app::ShowCity(*store, city);
  if (!profile) {
    Error error = profile.error();
    error.where = "city";
    SendError(context.response(), error);
    return;
  }
  SendJson(context.response(), 200, app::ToJson(*profile));
}

#ifdef CITYDIP_SERVER_HAS_STRATEGY
Result<PartialDate> AsOf(RequestContext& context) {
  const std::string text = context.request().get_param_value("as_of");
  if (text.empty()) {
    return PartialDate();
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, "as_of");
  }
  return *date;
}

void Scorecard(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {"as_of"}) || !StoreOrReply(context, store)) {
    return;
  }
  app::StrategyRequest request;
  auto as_of = AsOf(context);
  if (!as_of) {
    SendError(context.response(), as_of.error());
    return;
  }
  request.as_of = *as_of;
  auto report = app::ScoreStrategy(*store, request);
  SendResult(context.response(), report,
             [](const app::StrategyReport& value) { return app::ScorecardToJson(value); });
}

void Recommendations(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {"as_of", "limit"}) || !StoreOrReply(context, store)) {
    return;
  }
  app::StrategyRequest request;
  auto as_of = AsOf(context);
  if (!as_of) {
    SendError(context.response(), as_of.error());
    return;
  }
  request.as_of = *as_of;
  if (const std::string limit = context.request().get_param_value("limit"); !limit.empty()) {
    auto value = ParseInt64(limit);
    if (!value || *value < 0) {
      SendError(context.response(),
                {ErrorCode::kInvalidArgument,
                 "limit '" + limit + "' is not valid (expected 0 or more)", "limit"});
      return;
    }
    request.limit = static_cast<std::size_t>(*value);
  }
  auto report = app::RecommendStrategy(*store, request);
  SendResult(context.response(), report,
             [](const app::StrategyReport& value) { return app::RecommendationsToJson(value); });
}
#endif

#ifdef CITYDIP_SERVER_HAS_NETWORK
void Opportunities(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {"home", "partner"}) || !StoreOrReply(context, store)) {
    return;
  }
  app::OpportunityRequest request;
  if (const std::string home = context.request().get_param_value("home"); !home.empty()) {
    request.home = home;
  }
  request.partner = context.request().get_param_value("partner");
  auto report = app::NetworkOpportunities(*store, request);
  SendResult(context.response(), report, [](const auto& value) { return app::ToJson(value); });
}

void Centrality(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {"top", "sort", "city", "include_ended"}) ||
      !StoreOrReply(context, store)) {
    return;
  }
  const auto& request_params = context.request();
  app::CentralityRequest request;
  if (const std::string sort = request_params.get_param_value("sort"); !sort.empty()) {
    auto parsed = app::ParseCentralitySort(sort);
    if (!parsed) {
      Error error = parsed.error();
      error.where = "sort";
      SendError(context.response(), error);
      return;
    }
    request.sort = *parsed;
  }
  if (const std::string top = request_params.get_param_value("top"); !top.empty()) {
    auto value = ParseInt64(top);
    if (!value || *value < 0) {
      SendError(context.response(), {ErrorCode::kInvalidArgument,
                                     "top '" + top + "' is not valid (expected 0 or more)", "top"});
      return;
    }
    request.top = static_cast<std::size_t>(*value);
  }
  request.city = request_params.get_param_value("city");
  request.network.include_ended = request_params.get_param_value("include_ended") == "true";
  auto report = app::NetworkCentrality(*store, request);
  SendResult(context.response(), report, [](const auto& value) { return app::ToJson(value); });
}
#endif

#ifdef CITYDIP_SERVER_HAS_ANALYSIS
// The query parameters of GET /api/analyses/NAME: the CLI's options without the dashes (and with
// underscores), except that `index` names a shipped index or "gdelt", never a file.
std::vector<std::string_view> AnalysisParameters(std::string_view name) {
  std::vector<std::string_view> allowed = {"home", "partner", "from", "to", "period"};
  const bool all = name == "summary";
  const auto add = [&](std::initializer_list<std::string_view> names) {
    allowed.insert(allowed.end(), names.begin(), names.end());
  };
  if (all || name == "visits") {
    add({"office", "exclude_acting", "trip_gap"});
  }
  if (all || name == "phases") {
    add({"method", "penalty", "min_segment"});
  }
  if (all || name == "institutionalization") {
    add({"break", "mechanism"});
    if (!all) {
      add({"office"});
    }
  }
  if (all || name == "barometer" || name == "shocks") {
    add({"index", "metric"});
  }
  if (all || name == "barometer") {
    add({"max_lag", "window", "difference", "weights"});
  }
  if (all || name == "shocks") {
    add({"episode", "no_builtin", "detect", "k_sigma", "min_periods", "above", "baseline"});
  }
  if (all || name == "image") {
    add({"home_city_id", "partner_city_id"});
  }
  return allowed;
}

Status ParseBool(const httplib::Request& request, const std::string& name, bool& out) {
  if (!request.has_param(name)) {
    return Ok();
  }
  const std::string value = request.get_param_value(name);
  if (value == "true" || value == "1" || value.empty()) {
    out = true;
  } else if (value == "false" || value == "0") {
    out = false;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                name + " '" + value + "' is not valid (expected true or false)", name);
  }
  return Ok();
}

Status ParseIntParam(const httplib::Request& request,
                     const std::string& name,
                     std::optional<int>& out) {
  const std::string value = request.get_param_value(name);
  if (value.empty()) {
    return Ok();
  }
  const auto parsed = ParseInt64(value);
  if (!parsed || *parsed < -1000000 || *parsed > 1000000) {
    return Fail(ErrorCode::kInvalidArgument,
                name + " '" + value + "' is not valid (expected a whole number)", name);
  }
  out = static_cast<int>(*parsed);
  return Ok();
}

Status ParseDoubleParam(const httplib::Request& request,
                        const std::string& name,
                        std::optional<double>& out) {
  const std::string value = request.get_param_value(name);
  if (value.empty()) {
    return Ok();
  }
  std::size_t used = 0;
  double parsed = 0.0;
  try {
    parsed = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || !std::isfinite(parsed)) {
    return Fail(ErrorCode::kInvalidArgument,
                name + " '" + value + "' is not valid (expected a number)", name);
  }
  out = parsed;
  return Ok();
}

Result<app::AnalysisRequest> AnalysisRequestOf(RequestContext& context, const std::string& name) {
  const auto& http = context.request();
  app::AnalysisRequest request;
  request.name = name;
  request.db = context.server().options.db;
  request.warehouse = context.server().options.warehouse;
  request.warehouse_table = context.server().options.warehouse_table;
  const auto text = [&](const char* key) { return http.get_param_value(key); };
  request.home = text("home");
  request.partner = text("partner");
  request.from = text("from");
  request.to = text("to");
  request.period = text("period");
  request.office = text("office");
  request.method = text("method");
  request.break_date = text("break");
  request.mechanism = text("mechanism");
  request.index_name = text("index");
  request.metric = text("metric");
  request.weights = text("weights");
  request.home_city_id = text("home_city_id");
  request.partner_city_id = text("partner_city_id");
  for (std::size_t i = 0; i < http.get_param_value_count("episode"); ++i) {
    request.episodes.push_back(http.get_param_value("episode", i));
  }
  for (const Status& status :
       {ParseBool(http, "exclude_acting", request.exclude_acting),
        ParseBool(http, "difference", request.difference),
        ParseBool(http, "no_builtin", request.no_builtin),
        ParseBool(http, "detect", request.detect), ParseBool(http, "above", request.detect_above),
        ParseIntParam(http, "trip_gap", request.trip_gap_days),
        ParseIntParam(http, "min_segment", request.min_segment_years),
        ParseIntParam(http, "max_lag", request.max_lag),
        ParseIntParam(http, "window", request.rolling_window),
        ParseIntParam(http, "min_periods", request.min_periods),
        ParseIntParam(http, "baseline", request.baseline_periods),
        ParseDoubleParam(http, "penalty", request.penalty),
        ParseDoubleParam(http, "k_sigma", request.k_sigma)}) {
    if (!status) {
      return Fail(status.error());
    }
  }
  return request;
}

bool IsAnalysisName(const std::string& name) {
  const auto& names = app::AnalysisNames();
  return name == "summary" || std::find(names.begin(), names.end(), name) != names.end();
}

void AnalysisCatalog(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {}) || !StoreOrReply(context, store)) {
    return;
  }
  const auto& options = context.server().options;
  auto catalog =
      app::DescribeAnalysisInputs(*store, options.db, options.warehouse, options.warehouse_table);
  SendResult(context.response(), catalog, [](const auto& value) { return app::ToJson(value); });
}

void Analysis(RequestContext& context) {
  const std::string name = context.request().matches[1];
  if (!IsAnalysisName(name)) {
    std::string names;
    for (const auto& known : app::AnalysisNames()) {
      names += known + ", ";
    }
    SendError(context.response(),
              {ErrorCode::kNotFound, "no analysis '" + name + "' (expected " + names + "summary)",
               "path"});
    return;
  }
  const auto allowed = AnalysisParameters(name);
  for (const auto& [parameter, value] : context.request().params) {
    if (std::find(allowed.begin(), allowed.end(), parameter) == allowed.end()) {
      std::string names;
      for (std::string_view candidate : allowed) {
        names += (names.empty() ? "" : ", ") + std::string(candidate);
      }
      SendError(context.response(),
                {ErrorCode::kInvalidArgument,
                 "unknown parameter '" + parameter + "' for " + name + " (expected " + names + ")",
                 parameter});
      return;
    }
  }
  auto request = AnalysisRequestOf(context, name);
  if (!request) {
    SendError(context.response(), request.error());
    return;
  }
  storage::Store* store = nullptr;
  if (!StoreOrReply(context, store)) {
    return;
  }
  if (name == "summary") {
    auto summary = app::SummarizeAnalyses(*store, *request);
    SendResult(context.response(), summary, [](const auto& value) { return app::ToJson(value); });
    return;
  }
  auto report = app::RunAnalysis(*store, *request);
  SendResult(context.response(), report, [](const auto& value) { return app::ToJson(value); });
}
#endif

#ifdef CITYDIP_SERVER_HAS_GDELT
void GdeltSeries(RequestContext& context) {
  if (!OnlyParameters(context, {"from", "to", "period", "normalize", "city_pairs"})) {
    return;
  }
  const auto& request_params = context.request();
  app::GdeltSeriesRequest request;
  request.db = context.server().options.db;
  request.warehouse = context.server().options.warehouse;
  request.warehouse_table = context.server().options.warehouse_table;
  const std::string from = request_params.get_param_value("from");
  const std::string to = request_params.get_param_value("to");
  request.from = from.empty() ? std::string("KOR") : from;
  request.to = to.empty() ? std::string("CHN") : to;
  if (const std::string period = request_params.get_param_value("period"); !period.empty()) {
    request.period = period;
  }
  request.normalize = request_params.get_param_value("normalize") == "true";
  request.city_pairs = request_params.get_param_value("city_pairs") == "true";
  auto series = app::ReadGdeltSeries(request);
  if (!series) {
    SendError(context.response(), series.error());
    return;
  }
  auto json = nlohmann::json::parse(app::SeriesToJson(*series), nullptr, false);
  if (json.is_discarded()) {
    SendError(context.response(),
              {ErrorCode::kInternal, "the GDELT series could not be rendered as JSON", ""});
    return;
  }
  SendJson(context.response(), 200, json);
}
#endif

// GET /api/report?home=&partner=[&from=&to=&lang=en|ko&format=html|xlsx]: the briefing report
// (docs/reports.md) as a self-contained HTML page or an Excel workbook. PDF is CLI-only (it runs
// Chromium).
void Report(RequestContext& context) {
  storage::Store* store = nullptr;
  if (!OnlyParameters(context, {"home", "partner", "from", "to", "lang", "format"}) ||
      !StoreOrReply(context, store)) {
    return;
  }
  const auto& http_request = context.request();
  app::ReportRequest request;
  request.home = http_request.get_param_value("home");
  request.partner = http_request.get_param_value("partner");
  request.from = http_request.get_param_value("from");
  request.to = http_request.get_param_value("to");
  request.db = context.server().options.db;
  if (const std::string lang = http_request.get_param_value("lang"); !lang.empty()) {
    request.lang = lang;
  }
  const std::string format = http_request.get_param_value("format");
  if (!format.empty() && format != "html" && format != "xlsx") {
    SendError(context.response(), {ErrorCode::kInvalidArgument,
                                   "'" + format + "' is not a report format here (expected " +
                                       "html or xlsx; PDF: citydip report --format pdf)",
                                   "format"});
    return;
  }
  request.format = format == "xlsx" ? app::ReportFormat::kXlsx : app::ReportFormat::kHtml;
  auto rendered = app::RenderReport(*store, request);
  if (!rendered) {
    Error error = rendered.error();
    if (error.where.starts_with("--")) {
      error.where = error.where.substr(2);  // the CLI option is the query parameter
    }
    SendError(context.response(), error);
    return;
  }
  if (request.format == app::ReportFormat::kXlsx) {
    context.response().set_header("Content-Disposition",
                                  "attachment; filename=\"citydip-report.xlsx\"");
  }
  context.response().status = 200;
  context.response().set_content(rendered->bytes, std::string(app::ReportMimeType(request.format)));
}

}  // namespace

void RegisterAnalysisRoutes(ServerState& server) {
  auto& http = server.http;
  http.Get("/api/features", Route(server, Access::kRead, [](RequestContext& context) {
             SendJson(context.response(), 200, Features());
           }));
  http.Get("/api/stats", Route(server, Access::kRead, Stats));
  http.Get("/api/profile", Route(server, Access::kRead, Profile));
  http.Get("/api/report", Route(server, Access::kRead, Report));
#ifdef CITYDIP_SERVER_HAS_STRATEGY
  http.Get("/api/strategy/scorecard", Route(server, Access::kRead, Scorecard));
  http.Get("/api/strategy/recommendations", Route(server, Access::kRead, Recommendations));
#endif
#ifdef CITYDIP_SERVER_HAS_NETWORK
  http.Get("/api/network/opportunities", Route(server, Access::kRead, Opportunities));
  http.Get("/api/network/centrality", Route(server, Access::kRead, Centrality));
#endif
#ifdef CITYDIP_SERVER_HAS_GDELT
  http.Get("/api/gdelt/series", Route(server, Access::kRead, GdeltSeries));
#endif
#ifdef CITYDIP_SERVER_HAS_ANALYSIS
  http.Get("/api/analyses", Route(server, Access::kRead, AnalysisCatalog));
  http.Get("/api/analyses/([^/]+)", Route(server, Access::kRead, Analysis));
#endif
  // What this build lacks answers 501, naming the missing part.
  http.Get("/api/analyses(/.*)?", Route(server, Access::kRead, [](RequestContext& context) {
             if (kHasAnalyses) {
               SendError(context.response(), {ErrorCode::kNotFound,
                                              "no endpoint " + context.request().path +
                                                  " (expected /api/analyses or /api/analyses/NAME)",
                                              "path"});
               return;
             }
             SendNotInstalled(context.response(), "the analyses", "app/analysis_service");
           }));
  http.Get("/api/strategy(/.*)?", Route(server, Access::kRead, [](RequestContext& context) {
             if (kHasStrategy) {
               SendError(context.response(), {ErrorCode::kNotFound,
                                              "no endpoint " + context.request().path +
                                                  " (expected /api/strategy/scorecard or "
                                                  "/api/strategy/recommendations)",
                                              "path"});
               return;
             }
             SendNotInstalled(context.response(), "the strategy scorecard", "app/strategy_service");
           }));
  http.Get("/api/gdelt(/.*)?", Route(server, Access::kRead, [](RequestContext& context) {
             if (kHasGdelt) {
               SendError(context.response(),
                         {ErrorCode::kNotFound,
                          "no endpoint " + context.request().path + " (expected /api/gdelt/series)",
                          "path"});
               return;
             }
             SendNotInstalled(context.response(), "the GDELT series", "app/gdelt_service");
           }));
  http.Get("/api/network(/.*)?", Route(server, Access::kRead, [](RequestContext& context) {
             if (kHasNetwork) {
               SendError(context.response(), {ErrorCode::kNotFound,
                                              "no endpoint " + context.request().path +
                                                  " (expected /api/network/opportunities or "
                                                  "/api/network/centrality)",
                                              "path"});
               return;
             }
             SendNotInstalled(context.response(), "the network analysis", "app/network_service");
           }));
}

}  // namespace citydip::server::internal
