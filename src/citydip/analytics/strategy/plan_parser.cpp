// Parses a strategy file (TOML) into a StrategyPlan. toml++ reports syntax errors and source
// positions; this file checks the schema (keys, types, vocabularies, which filters apply to which
// subject) and collects every problem with its FILE:LINE:COL.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <initializer_list>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "citydip/analytics/strategy/model.h"
#include "citydip/core/countries.h"
#include "citydip/core/result.h"

namespace citydip::analytics::strategy {

std::string FormatWhere(std::string_view file, SourcePos pos) {
  std::string out(file);
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line);
    if (pos.column > 0) {
      out += ":" + std::to_string(pos.column);
    }
  }
  return out;
}

std::string_view SubjectName(Subject subject) {
  switch (subject) {
    case Subject::kEvents:
      return "events";
    case Subject::kMemberships:
      return "memberships";
    case Subject::kOrganizations:
      return "organizations";
    case Subject::kMechanisms:
      return "mechanisms";
    case Subject::kRelations:
      return "relations";
    case Subject::kMetric:
      return "metric";
  }
  return "events";
}

std::string_view MeasureName(Measure measure) {
  switch (measure) {
    case Measure::kCount:
      return "count";
    case Measure::kShare:
      return "share";
    case Measure::kRate:
      return "rate";
    case Measure::kTrend:
      return "trend";
    case Measure::kDistinct:
      return "distinct";
    case Measure::kMetric:
      return "metric";
  }
  return "count";
}

std::string_view DirectionName(TargetDirection direction) {
  return direction == TargetDirection::kIncrease ? "increase" : "decrease";
}

bool Filter::empty() const {
  return types.empty() && frameworks.empty() && modes.empty() && levels.empty() && topics.empty() &&
         directions.empty() && stakeholders.empty() && statuses.empty() && mechanisms.empty() &&
         organizations.empty() && partners.empty() && partner_countries.empty() && from.empty() &&
         to.empty() && cities.empty() && roles.empty() && org_kinds.empty() && home_roles.empty() &&
         !partner_member && relations.empty() && relation_statuses.empty();
}

std::optional<int> ParseWindow(std::string_view text) {
  if (text == "all") {
    return 0;
  }
  if (text.size() < 2) {
    return std::nullopt;
  }
  const char unit = text.back();
  if (unit != 'y' && unit != 'm') {
    return std::nullopt;
  }
  int number = 0;
  const auto digits = text.substr(0, text.size() - 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc() || end != digits.data() + digits.size() || number <= 0 ||
      number > 1200) {
    return std::nullopt;
  }
  return unit == 'y' ? number * 12 : number;
}

std::string FormatWindow(int months) {
  if (months == 0) {
    return "all";
  }
  return months % 12 == 0 ? std::to_string(months / 12) + "y" : std::to_string(months) + "m";
}

namespace {

constexpr std::size_t kMaxProblems = 50;

using Keys = std::span<const std::string_view>;

std::string JoinKeys(Keys keys) {
  std::string out;
  for (auto key : keys) {
    if (!out.empty()) {
      out += ", ";
    }
    out += key;
  }
  return out;
}

bool Contains(Keys keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

SourcePos PosOf(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// The filter keys each subject accepts (docs/strategy.md).
Keys FilterKeys(Subject subject) {
  static constexpr std::string_view kEvents[] = {
      "type",        "framework", "mode",         "level",     "topic",   "direction",
      "stakeholder", "status",    "organization", "mechanism", "partner", "partner_country",
      "from",        "to"};
  static constexpr std::string_view kMemberships[] = {
      "city", "role", "organization", "org_kind", "partner", "partner_country", "to"};
  static constexpr std::string_view kOrganizations[] = {
      "org_kind", "organization",    "home_role", "partner_member",
      "partner",  "partner_country", "to"};
  static constexpr std::string_view kMechanisms[] = {"mechanism", "partner", "partner_country",
                                                     "to"};
  static constexpr std::string_view kRelations[] = {"relation", "status", "partner",
                                                    "partner_country", "to"};
  switch (subject) {
    case Subject::kEvents:
      return kEvents;
    case Subject::kMemberships:
      return kMemberships;
    case Subject::kOrganizations:
      return kOrganizations;
    case Subject::kMechanisms:
      return kMechanisms;
    case Subject::kRelations:
      return kRelations;
    case Subject::kMetric:
      break;
  }
  return {};
}

// The fields `distinct` may count, per subject.
Keys DistinctFields(Subject subject) {
  static constexpr std::string_view kEvents[] = {
      "partner",   "type",        "framework",    "mode",      "level", "topic",
      "direction", "stakeholder", "organization", "mechanism", "year"};
  static constexpr std::string_view kMemberships[] = {"organization", "city", "role"};
  static constexpr std::string_view kMechanisms[] = {"field", "partner"};
  static constexpr std::string_view kRelations[] = {"partner", "relation"};
  switch (subject) {
    case Subject::kEvents:
      return kEvents;
    case Subject::kMemberships:
      return kMemberships;
    case Subject::kMechanisms:
      return kMechanisms;
    case Subject::kRelations:
      return kRelations;
    case Subject::kOrganizations:
    case Subject::kMetric:
      break;
  }
  return {};
}

class PlanParser {
 public:
  explicit PlanParser(std::string file) : file_(std::move(file)) {}

  Result<StrategyPlan> Parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, std::string_view(file_));
    } catch (const toml::parse_error& error) {  // toml++ reports syntax errors by throwing
      return Fail(ErrorCode::kInvalidData, "not valid TOML: " + std::string(error.description()),
                  FormatWhere(file_, PosOf(error.source())));
    } catch (const std::exception& error) {
      return Fail(ErrorCode::kInternal, std::string("TOML parser failed: ") + error.what(), file_);
    }
    StrategyPlan plan;
    plan.file = file_;
    ParseRoot(root, plan);
    if (!problems_.empty()) {
      return Fail(ToError());
    }
    return plan;
  }

 private:
  void Problem(SourcePos pos, std::string message) {
    ++problem_count_;
    if (problems_.size() < kMaxProblems) {
      problems_.emplace_back(pos, std::move(message));
    }
  }

  [[nodiscard]] Error ToError() const {
    Error error{ErrorCode::kInvalidData, problems_.front().second,
                FormatWhere(file_, problems_.front().first)};
    for (std::size_t i = 1; i < problems_.size(); ++i) {
      error.message += "\n" + FormatWhere(file_, problems_[i].first) + ": " + problems_[i].second;
    }
    if (problem_count_ > problems_.size()) {
      error.message += "\n... and " + std::to_string(problem_count_ - problems_.size()) + " more";
    }
    return error;
  }

  static SourcePos KeyPos(const toml::table& table, std::string_view key) {
    const auto it = table.find(key);
    return it == table.end() ? PosOf(table.source()) : PosOf(it->first.source());
  }
  static SourcePos ValuePos(const toml::node& node) { return PosOf(node.source()); }

  void CheckKeys(const toml::table& table,
                 std::initializer_list<std::string_view> allowed,
                 std::string_view what) {
    CheckKeys(table, Keys(allowed.begin(), allowed.end()), what);
  }
  void CheckKeys(const toml::table& table, Keys allowed, std::string_view what) {
    for (auto&& [key, value] : table) {
      if (!Contains(allowed, key.str())) {
        Problem(PosOf(key.source()), "unknown key '" + std::string(key.str()) + "' in " +
                                         std::string(what) + " (expected " + JoinKeys(allowed) +
                                         ")");
      }
    }
  }

  void WrongType(const toml::node& node,
                 std::string_view key,
                 std::string_view what,
                 std::string_view expected) {
    Problem(ValuePos(node), std::string(what) + ": '" + std::string(key) + "' must be " +
                                std::string(expected) + ", not " + std::string(TypeName(node)));
  }

  std::optional<std::string> String(const toml::table& table,
                                    std::string_view key,
                                    std::string_view what,
                                    bool required = false) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) {
        Problem(PosOf(table.source()),
                std::string(what) + ": missing required key '" + std::string(key) + "'");
      }
      return std::nullopt;
    }
    if (const auto* value = node->as_string()) {
      if (required && value->get().empty()) {
        Problem(ValuePos(*node), std::string(what) + ": '" + std::string(key) + "' is empty");
      }
      return value->get();
    }
    WrongType(*node, key, what, "a string");
    return std::nullopt;
  }

  std::optional<double> Number(const toml::table& table,
                               std::string_view key,
                               std::string_view what,
                               bool required = false) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) {
        Problem(PosOf(table.source()),
                std::string(what) + ": missing required key '" + std::string(key) + "'");
      }
      return std::nullopt;
    }
    if (!node->is_number()) {
      WrongType(*node, key, what, "a number");
      return std::nullopt;
    }
    const double value = node->value<double>().value_or(0.0);
    if (!std::isfinite(value)) {
      Problem(ValuePos(*node),
              std::string(what) + ": '" + std::string(key) + "' must be a finite number");
      return std::nullopt;
    }
    return value;
  }

  // A positive weight (default 1).
  double Weight(const toml::table& table, std::string_view what) {
    const auto weight = Number(table, "weight", what);
    if (weight && *weight <= 0) {
      Problem(
          ValuePos(*table.get("weight")),
          std::string(what) + ": 'weight' must be greater than 0, not " + std::to_string(*weight));
      return 1.0;
    }
    return weight.value_or(1.0);
  }

  std::optional<double> Fraction(const toml::table& table,
                                 std::string_view key,
                                 std::string_view what) {
    const auto value = Number(table, key, what);
    if (value && (*value <= 0 || *value > 1)) {
      Problem(ValuePos(*table.get(key)), std::string(what) + ": '" + std::string(key) +
                                             "' must be in (0, 1], not " + std::to_string(*value));
      return std::nullopt;
    }
    return value;
  }

  // A string or an array of strings, each with its position.
  std::vector<NameRef> Names(const toml::table& table,
                             std::string_view key,
                             std::string_view what) {
    std::vector<NameRef> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return out;
    }
    auto take = [&](const toml::node& item) {
      if (const auto* value = item.as_string(); value != nullptr && !value->get().empty()) {
        out.push_back({value->get(), ValuePos(item)});
      } else {
        WrongType(item, key, what, "a non-empty string or an array of them");
      }
    };
    if (const auto* array = node->as_array()) {
      if (array->empty()) {
        Problem(ValuePos(*node), std::string(what) + ": '" + std::string(key) + "' is empty");
      }
      for (const auto& item : *array) {
        take(item);
      }
    } else {
      take(*node);
    }
    return out;
  }

  template <typename E>
  std::vector<E> Enums(const toml::table& table, std::string_view key, std::string_view what) {
    std::vector<E> out;
    for (const auto& name : Names(table, key, what)) {
      if (auto value = ParseEnum<E>(name.name)) {
        out.push_back(*value);
      } else {
        Problem(name.pos, std::string(what) + ": '" + name.name + "' is not a valid " +
                              std::string(EnumName<E>()) + " (expected " + AllowedCodes<E>() + ")");
      }
    }
    return out;
  }

  std::vector<std::string> Countries(const toml::table& table,
                                     std::string_view key,
                                     std::string_view what) {
    std::vector<std::string> out;
    for (const auto& name : Names(table, key, what)) {
      if (auto code = ResolveCountry(name.name)) {
        out.emplace_back(*code);
      } else {
        Problem(name.pos, std::string(what) + ": '" + name.name +
                              "' is not a known country (expected an ISO 3166-1 alpha-3 code "
                              "such as CHN, or an English or Korean country name)");
      }
    }
    return out;
  }

  PartialDate Date(const toml::table& table, std::string_view key, std::string_view what) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return {};
    }
    if (const auto* date = node->as_date()) {
      const auto& d = date->get();
      return PartialDate::FromParts(d.year, d.month, d.day);
    }
    if (const auto* text = node->as_string()) {
      auto parsed = PartialDate::Parse(text->get());
      if (!parsed) {
        Problem(ValuePos(*node),
                std::string(what) + ": '" + std::string(key) + "': " + parsed.error().message);
        return {};
      }
      return *parsed;
    }
    WrongType(*node, key, what, "a date (\"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\")");
    return {};
  }

  std::optional<int> Window(const toml::table& table, std::string_view what) {
    const auto text = String(table, "window", what);
    if (!text) {
      return std::nullopt;
    }
    auto months = ParseWindow(*text);
    if (!months) {
      Problem(ValuePos(*table.get("window")),
              std::string(what) + ": '" + *text +
                  "' is not a valid window (expected a number of years or months such as "
                  "\"3y\" or \"18m\", or \"all\")");
    }
    return months;
  }

  const toml::table* Table(const toml::table& parent, std::string_view key, std::string_view what) {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      return nullptr;
    }
    if (const auto* table = node->as_table()) {
      return table;
    }
    WrongType(*node, key, what, "a table");
    return nullptr;
  }

  // The tables of an array of tables ([[key]]); `required` reports a missing or empty array.
  std::vector<const toml::table*> Tables(const toml::table& parent,
                                         std::string_view key,
                                         std::string_view what,
                                         bool required) {
    std::vector<const toml::table*> out;
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      if (required) {
        Problem(PosOf(parent.source()), std::string(what) + ": missing [[" + std::string(key) +
                                            "]] entries (at least one is required)");
      }
      return out;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
      WrongType(*node, key, what, "an array of tables ([[" + std::string(key) + "]])");
      return out;
    }
    for (const auto& item : *array) {
      if (const auto* table = item.as_table()) {
        out.push_back(table);
      } else {
        WrongType(item, key, what, "a table");
      }
    }
    if (out.empty() && required) {
      Problem(ValuePos(*node), std::string(what) + ": '" + std::string(key) + "' is empty");
    }
    return out;
  }

  void UniqueId(const std::string& id, SourcePos pos, std::string_view kind) {
    if (id.empty()) {
      return;
    }
    if (!ids_.insert(std::string(kind) + "\x1f" + id).second) {
      Problem(pos, "duplicate " + std::string(kind) + " id '" + id + "'");
    }
  }

  void ParseRoot(const toml::table& root, StrategyPlan& plan) {
    CheckKeys(root,
              {"name_en", "name_ko", "home", "partners", "partner_countries", "window", "on_track",
               "strategy", "scenario"},
              "the plan");
    plan.name_en = String(root, "name_en", "the plan").value_or("");
    plan.name_ko = String(root, "name_ko", "the plan").value_or("");
    if (auto home = String(root, "home", "the plan", true)) {
      plan.home = {*home, ValuePos(*root.get("home"))};
    }
    plan.partners = Names(root, "partners", "the plan");
    plan.partner_countries = Countries(root, "partner_countries", "the plan");
    plan.window_months = Window(root, "the plan").value_or(36);
    plan.on_track = Fraction(root, "on_track", "the plan").value_or(0.75);
    for (const auto* table : Tables(root, "strategy", "the plan", true)) {
      plan.strategies.push_back(ParseStrategy(*table, plan));
    }
    if (const auto* scenario = Table(root, "scenario", "the plan")) {
      ParseScenario(*scenario, plan.scenario);
    }
  }

  Strategy ParseStrategy(const toml::table& table, const StrategyPlan& plan) {
    Strategy strategy;
    strategy.pos = PosOf(table.source());
    const std::string what = "strategy";
    CheckKeys(table, {"id", "name_en", "name_ko", "weight", "action"}, what);
    strategy.id = String(table, "id", what, true).value_or("");
    const std::string named = what + " '" + strategy.id + "'";
    UniqueId(strategy.id, KeyPos(table, "id"), "strategy");
    strategy.name_en = String(table, "name_en", named, true).value_or("");
    strategy.name_ko = String(table, "name_ko", named, true).value_or("");
    strategy.weight = Weight(table, named);
    for (const auto* action : Tables(table, "action", named, true)) {
      strategy.actions.push_back(ParseAction(*action, plan));
    }
    return strategy;
  }

  Action ParseAction(const toml::table& table, const StrategyPlan& plan) {
    Action action;
    action.pos = PosOf(table.source());
    const std::string what = "action";
    CheckKeys(table,
              {"id", "name_en", "name_ko", "weight", "owner", "opportunities", "advice_en",
               "advice_ko", "kpi"},
              what);
    action.id = String(table, "id", what, true).value_or("");
    const std::string named = what + " '" + action.id + "'";
    UniqueId(action.id, KeyPos(table, "id"), "action");
    action.name_en = String(table, "name_en", named, true).value_or("");
    action.name_ko = String(table, "name_ko", named, true).value_or("");
    action.weight = Weight(table, named);
    action.owner = String(table, "owner", named).value_or("");
    action.opportunities = Names(table, "opportunities", named);
    action.advice_en = String(table, "advice_en", named).value_or("");
    action.advice_ko = String(table, "advice_ko", named).value_or("");
    for (const auto* kpi : Tables(table, "kpi", named, true)) {
      action.kpis.push_back(ParseKpi(*kpi, plan));
    }
    return action;
  }

  Kpi ParseKpi(const toml::table& table, const StrategyPlan& plan) {
    Kpi kpi;
    kpi.pos = PosOf(table.source());
    CheckKeys(table,
              {"id", "name_en", "name_ko", "measure", "of", "where", "among", "by", "metric",
               "window", "target", "direction", "baseline", "weight", "on_track", "owner", "unit",
               "advice_en", "advice_ko"},
              "kpi");
    kpi.id = String(table, "id", "kpi", true).value_or("");
    const std::string what = "kpi '" + kpi.id + "'";
    UniqueId(kpi.id, KeyPos(table, "id"), "kpi");
    kpi.name_en = String(table, "name_en", what, true).value_or("");
    kpi.name_ko = String(table, "name_ko", what, true).value_or("");

    const auto measure = String(table, "measure", what, true).value_or("");
    bool measure_known = true;
    if (measure == "count") {
      kpi.measure = Measure::kCount;
    } else if (measure == "share") {
      kpi.measure = Measure::kShare;
    } else if (measure == "rate") {
      kpi.measure = Measure::kRate;
    } else if (measure == "trend") {
      kpi.measure = Measure::kTrend;
    } else if (measure == "distinct") {
      kpi.measure = Measure::kDistinct;
    } else if (measure == "metric") {
      kpi.measure = Measure::kMetric;
    } else {
      measure_known = false;
      if (!measure.empty()) {
        Problem(ValuePos(*table.get("measure")),
                what + ": '" + measure +
                    "' is not a valid measure (expected count, share, rate, trend, distinct, "
                    "metric)");
      }
    }

    const auto of = String(table, "of", what);
    if (kpi.measure == Measure::kMetric && measure_known) {
      kpi.subject = Subject::kMetric;
      if (of && *of != "metric") {
        Problem(ValuePos(*table.get("of")),
                what + ": a metric KPI takes no 'of' (or of = \"metric\"), not '" + *of + "'");
      }
      if (auto metric = String(table, "metric", what, true)) {
        kpi.metric = {*metric, ValuePos(*table.get("metric"))};
      }
    } else {
      if (table.get("metric") != nullptr) {
        Problem(KeyPos(table, "metric"), what + ": 'metric' applies only to measure = \"metric\"");
      }
      const std::string subject = of.value_or("events");
      if (subject == "events") {
        kpi.subject = Subject::kEvents;
      } else if (subject == "memberships") {
        kpi.subject = Subject::kMemberships;
      } else if (subject == "organizations") {
        kpi.subject = Subject::kOrganizations;
      } else if (subject == "mechanisms") {
        kpi.subject = Subject::kMechanisms;
      } else if (subject == "relations") {
        kpi.subject = Subject::kRelations;
      } else {
        Problem(ValuePos(*table.get("of")),
                what + ": '" + subject +
                    "' is not a valid subject (expected events, memberships, organizations, "
                    "mechanisms, relations; or measure = \"metric\")");
      }
      if ((kpi.measure == Measure::kRate || kpi.measure == Measure::kTrend) &&
          kpi.subject != Subject::kEvents) {
        Problem(ValuePos(*table.get("measure")), what + ": measure '" + measure +
                                                     "' applies only to events, not " +
                                                     std::string(SubjectName(kpi.subject)));
      }
    }

    if (const auto* where = Table(table, "where", what)) {
      kpi.where = ParseFilter(*where, kpi.subject, what + " where");
    }
    if (const auto* among = Table(table, "among", what)) {
      if (kpi.measure != Measure::kShare) {
        Problem(KeyPos(table, "among"), what + ": 'among' applies only to measure = \"share\"");
      }
      kpi.among = ParseFilter(*among, kpi.subject, what + " among");
    }

    const auto by = String(table, "by", what);
    if (kpi.measure == Measure::kDistinct && measure_known) {
      const Keys fields = DistinctFields(kpi.subject);
      if (!by) {
        Problem(PosOf(table.source()), what + ": missing required key 'by' (the field to count)");
      } else if (!Contains(fields, *by)) {
        Problem(ValuePos(*table.get("by")),
                what + ": cannot count distinct '" + *by + "' of " +
                    std::string(SubjectName(kpi.subject)) +
                    (fields.size() == 0 ? std::string(" (count them instead)")
                                        : " (expected " + JoinKeys(fields) + ")"));
      } else {
        kpi.by = *by;
      }
    } else if (by) {
      Problem(KeyPos(table, "by"), what + ": 'by' applies only to measure = \"distinct\"");
    }

    kpi.window_months = Window(table, what);
    if (kpi.window_months && (kpi.subject == Subject::kMetric)) {
      Problem(KeyPos(table, "window"),
              what + ": a metric KPI takes no window (the metric defines its own period)");
    }
    if (kpi.measure == Measure::kTrend) {
      const int months = kpi.window_months.value_or(plan.window_months);
      if (!kpi.where.from.empty() || !kpi.where.to.empty()) {
        Problem(KeyPos(table, "where"), what + ": a trend takes a window, not from/to");
      } else if (months < 24 || months % 12 != 0) {
        Problem(kpi.window_months ? ValuePos(*table.get("window")) : PosOf(table.source()),
                what + ": a trend needs a window of whole years, at least 2 (\"2y\"), not '" +
                    FormatWindow(months) + "'");
      }
    }
    if (kpi.measure == Measure::kRate && kpi.window_months.value_or(plan.window_months) == 0 &&
        kpi.where.from.empty()) {
      Problem(PosOf(table.source()),
              what + ": a rate needs a window (e.g. \"3y\") or where.from, not \"all\"");
    }

    kpi.target = Number(table, "target", what, true).value_or(0.0);
    if (kpi.measure == Measure::kShare && table.get("target") != nullptr &&
        (kpi.target < 0 || kpi.target > 1)) {
      Problem(ValuePos(*table.get("target")),
              what + ": a share's target is a fraction between 0 and 1, not " +
                  std::to_string(kpi.target));
    }
    if (const auto direction = String(table, "direction", what)) {
      if (*direction == "increase") {
        kpi.direction = TargetDirection::kIncrease;
      } else if (*direction == "decrease") {
        kpi.direction = TargetDirection::kDecrease;
      } else {
        Problem(
            ValuePos(*table.get("direction")),
            what + ": '" + *direction + "' is not a valid direction (expected increase, decrease)");
      }
    }
    kpi.baseline = Number(table, "baseline", what);
    kpi.weight = Weight(table, what);
    kpi.on_track = Fraction(table, "on_track", what);
    kpi.owner = String(table, "owner", what).value_or("");
    kpi.unit = String(table, "unit", what).value_or("");
    kpi.advice_en = String(table, "advice_en", what).value_or("");
    kpi.advice_ko = String(table, "advice_ko", what).value_or("");
    return kpi;
  }

  Filter ParseFilter(const toml::table& table, Subject subject, const std::string& what) {
    Filter filter;
    const Keys allowed = FilterKeys(subject);
    for (auto&& [key, value] : table) {
      if (!Contains(allowed, key.str())) {
        Problem(PosOf(key.source()),
                what + ": filter '" + std::string(key.str()) + "' does not apply to " +
                    std::string(SubjectName(subject)) +
                    (allowed.size() == 0 ? std::string(" (a metric takes no filters)")
                                         : " (expected " + JoinKeys(allowed) + ")"));
      }
    }
    filter.types = Enums<EventType>(table, "type", what);
    filter.frameworks = Enums<Framework>(table, "framework", what);
    filter.modes = Enums<Mode>(table, "mode", what);
    filter.levels = Enums<Level>(table, "level", what);
    filter.topics = Enums<Topic>(table, "topic", what);
    filter.directions = Enums<Direction>(table, "direction", what);
    filter.stakeholders = Enums<StakeholderKind>(table, "stakeholder", what);
    if (subject == Subject::kRelations) {
      filter.relation_statuses = Enums<RelationStatus>(table, "status", what);
    } else if (subject == Subject::kEvents) {
      filter.statuses = Enums<EventStatus>(table, "status", what);
    }
    filter.mechanisms = Names(table, "mechanism", what);
    filter.organizations = Names(table, "organization", what);
    filter.partners = Names(table, "partner", what);
    filter.partner_countries = Countries(table, "partner_country", what);
    filter.from = Date(table, "from", what);
    filter.to = Date(table, "to", what);
    if (!filter.from.empty() && !filter.to.empty() &&
        filter.to.LastDay() < filter.from.FirstDay()) {
      Problem(ValuePos(*table.get("to")), what + ": 'to' (" + filter.to.ToString() +
                                              ") is before 'from' (" + filter.from.ToString() +
                                              ")");
    }
    filter.cities = Names(table, "city", what);
    filter.roles = Enums<MembershipRole>(table, "role", what);
    filter.org_kinds = Enums<OrgKind>(table, "org_kind", what);
    filter.home_roles = Enums<MembershipRole>(table, "home_role", what);
    if (const toml::node* node = table.get("partner_member")) {
      if (const auto* flag = node->as_boolean()) {
        filter.partner_member = flag->get();
      } else {
        WrongType(*node, "partner_member", what, "true or false");
      }
    }
    filter.relations = Enums<RelationKind>(table, "relation", what);
    return filter;
  }

  void ParseScenario(const toml::table& table, ScenarioSettings& scenario) {
    const std::string what = "scenario";
    CheckKeys(table, {"partner", "lags", "warning_sd", "episode"}, what);
    if (auto partner = String(table, "partner", what)) {
      scenario.partner = {*partner, ValuePos(*table.get("partner"))};
    }
    if (const toml::node* node = table.get("lags")) {
      const auto* array = node->as_array();
      if (array == nullptr) {
        WrongType(*node, "lags", what, "an array of integers");
      } else {
        for (const auto& item : *array) {
          const auto* lag = item.as_integer();
          if (lag == nullptr || lag->get() < 0 || lag->get() > 36) {
            Problem(ValuePos(item),
                    what + ": 'lags' holds months from 0 to 36, not " +
                        (lag ? std::to_string(lag->get()) : std::string(TypeName(item))));
          } else {
            scenario.lags.push_back(static_cast<int>(lag->get()));
          }
        }
      }
    }
    if (auto warning = Number(table, "warning_sd", what)) {
      scenario.warning_sd = *warning;
    }
    for (const auto* episode_table : Tables(table, "episode", what, false)) {
      Episode episode;
      episode.pos = PosOf(episode_table->source());
      CheckKeys(*episode_table, {"name", "name_ko", "start", "sources"}, "episode");
      episode.name = String(*episode_table, "name", "episode", true).value_or("");
      episode.name_ko = String(*episode_table, "name_ko", "episode").value_or("");
      episode.start = Date(*episode_table, "start", "episode '" + episode.name + "'");
      if (episode.start.empty()) {
        if (episode_table->get("start") == nullptr) {
          Problem(episode.pos, "episode '" + episode.name + "': missing required key 'start'");
        }
      } else if (episode.start.precision() == DatePrecision::kYear) {
        Problem(ValuePos(*episode_table->get("start")),
                "episode '" + episode.name + "': 'start' needs a month (\"YYYY-MM\"), not '" +
                    episode.start.ToString() + "'");
      }
      for (auto& source : Names(*episode_table, "sources", "episode '" + episode.name + "'")) {
        episode.sources.push_back(std::move(source.name));
      }
      if (episode.sources.empty()) {
        Problem(episode.pos, "episode '" + episode.name +
                                 "': missing 'sources' (the URLs documenting its start)");
      }
      scenario.episodes.push_back(std::move(episode));
    }
  }

  std::string file_;
  std::vector<std::pair<SourcePos, std::string>> problems_;
  std::size_t problem_count_ = 0;
  std::set<std::string> ids_;
};

}  // namespace

Result<StrategyPlan> ParseStrategyPlan(std::string_view toml_text, std::string_view file) {
  return PlanParser(std::string(file)).Parse(toml_text);
}

}  // namespace citydip::analytics::strategy
