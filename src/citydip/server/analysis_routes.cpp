// Read-only views computed from the registry: GET /api/stats, GET /api/profile?city=NAME, and the
// analyses, networks, strategy scorecard and GDELT series where this build has them (a 501 that
// names what is missing where it does not). GET /api/features tells the dashboard which are there.
// Each optional part is compiled in when the app module has its service (server/CMakeLists.txt).
#include <string>

// The app headers come before server_impl.h: httplib.h pulls in <resolv.h>, whose `_res` macro
// would break Eigen's templates (included by the strategy service) if it were defined first.
#include "citydip/app/registry_service.h"
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
nlohmann::json Features() {
  return {{"analyses", kHasAnalyses},
          {"strategy", kHasStrategy},
          {"gdelt", kHasGdelt},
          {"network", kHasNetwork}};
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

#ifdef CITYDIP_SERVER_HAS_GDELT
void GdeltSeries(RequestContext& context) {
  if (!OnlyParameters(context, {"from", "to", "period", "normalize", "city_pairs"})) {
    return;
  }
  const auto& request_params = context.request();
  app::GdeltSeriesRequest request;
  request.db = context.server().options.db;
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

}  // namespace

void RegisterAnalysisRoutes(ServerState& server) {
  auto& http = server.http;
  http.Get("/api/features", Route(server, Access::kRead, [](RequestContext& context) {
             SendJson(context.response(), 200, Features());
           }));
  http.Get("/api/stats", Route(server, Access::kRead, Stats));
  http.Get("/api/profile", Route(server, Access::kRead, Profile));
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
  // What this build lacks answers 501, naming the missing part.
  http.Get("/api/analyses(/.*)?", Route(server, Access::kRead, [](RequestContext& context) {
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
