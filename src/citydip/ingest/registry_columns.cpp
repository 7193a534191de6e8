#include "citydip/ingest/registry_columns.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "citydip/core/text.h"
#include "citydip/ingest/registry_io.h"

namespace citydip::ingest {
namespace {

constexpr bool kRequired = true;
constexpr bool kOptional = false;
constexpr bool kList = true;
constexpr bool kScalar = false;

constexpr ColumnSpec kCityColumns[] = {
    {"name_en", kRequired, kScalar},  {"name_ko", kOptional, kScalar},
    {"name_zh", kOptional, kScalar},  {"country", kRequired, kScalar},
    {"kind", kOptional, kScalar},     {"lat", kOptional, kScalar},
    {"lon", kOptional, kScalar},      {"wikidata_id", kOptional, kScalar},
    {"source_url", kRequired, kList},
};

constexpr ColumnSpec kPartnerRelationColumns[] = {
    {"city_a", kRequired, kScalar},   {"country_a", kOptional, kScalar},
    {"city_b", kRequired, kScalar},   {"country_b", kOptional, kScalar},
    {"relation", kRequired, kScalar}, {"since", kOptional, kScalar},
    {"until", kOptional, kScalar},    {"status", kOptional, kScalar},
    {"source_url", kRequired, kList},
};

constexpr ColumnSpec kOrganizationColumns[] = {
    {"name", kRequired, kScalar},
    {"acronym", kOptional, kScalar},
    {"kind", kRequired, kScalar},
    {"secretariat_city", kOptional, kScalar},
    {"secretariat_country", kOptional, kScalar},
    {"founded", kOptional, kScalar},
    {"source_url", kRequired, kList},
};

constexpr ColumnSpec kMembershipColumns[] = {
    {"city", kRequired, kScalar},         {"country", kOptional, kScalar},
    {"organization", kRequired, kScalar}, {"role", kOptional, kScalar},
    {"since", kOptional, kScalar},        {"until", kOptional, kScalar},
    {"source_url", kRequired, kList},
};

constexpr ColumnSpec kOfficialColumns[] = {
    {"name_en", kRequired, kScalar},     {"name_ko", kOptional, kScalar},
    {"city", kRequired, kScalar},        {"country", kOptional, kScalar},
    {"office", kOptional, kScalar},      {"acting", kOptional, kScalar},
    {"term_start", kOptional, kScalar},  {"term_end", kOptional, kScalar},
    {"source_url", kRequired, kList},    {"visit_partner", kOptional, kScalar},
    {"visit_claim", kOptional, kScalar}, {"visit_source_url", kOptional, kList},
};

constexpr ColumnSpec kMechanismColumns[] = {
    {"name_en", kRequired, kScalar}, {"name_ko", kOptional, kScalar},
    {"cities", kRequired, kList},    {"countries", kOptional, kList},
    {"founded", kOptional, kScalar}, {"ended", kOptional, kScalar},
    {"fields", kOptional, kList},    {"source_url", kRequired, kList},
};

constexpr ColumnSpec kEventColumns[] = {
    {"id", kOptional, kScalar},           {"date", kRequired, kScalar},
    {"home_city", kRequired, kScalar},    {"home_country", kOptional, kScalar},
    {"partner_city", kOptional, kList},   {"partner_country", kOptional, kList},
    {"direction", kOptional, kScalar},    {"event_type", kRequired, kScalar},
    {"framework", kOptional, kScalar},    {"mode", kOptional, kScalar},
    {"level", kOptional, kScalar},        {"topics", kOptional, kList},
    {"organization", kOptional, kScalar}, {"mechanism", kOptional, kScalar},
    {"status", kOptional, kScalar},       {"officials", kOptional, kList},
    {"stakeholders", kOptional, kList},   {"title_en", kRequired, kScalar},
    {"title_ko", kOptional, kScalar},     {"notes", kOptional, kScalar},
    {"verified", kOptional, kScalar},     {"source_url", kRequired, kList},
};

struct KindNames {
  std::vector<std::string> all;
  std::vector<std::string> required;
};

const KindNames& NamesOf(RecordKind kind) {
  static const std::map<RecordKind, KindNames> kNames = [] {
    std::map<RecordKind, KindNames> names;
    for (RecordKind each : AllRecordKinds()) {
      KindNames& entry = names[each];
      for (const ColumnSpec& spec : ColumnSpecsOf(each)) {
        entry.all.emplace_back(spec.name);
        if (spec.required) {
          entry.required.emplace_back(spec.name);
        }
      }
    }
    return names;
  }();
  return kNames.at(kind);
}

}  // namespace

std::span<const ColumnSpec> ColumnSpecsOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return kCityColumns;
    case RecordKind::kPartnerRelation:
      return kPartnerRelationColumns;
    case RecordKind::kOrganization:
      return kOrganizationColumns;
    case RecordKind::kMembership:
      return kMembershipColumns;
    case RecordKind::kOfficial:
      return kOfficialColumns;
    case RecordKind::kMechanism:
      return kMechanismColumns;
    case RecordKind::kEvent:
      return kEventColumns;
  }
  return kEventColumns;
}

int ColumnIndexOf(RecordKind kind, std::string_view name) {
  const auto specs = ColumnSpecsOf(kind);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string ColumnListText(RecordKind kind) {
  std::string out;
  for (const ColumnSpec& spec : ColumnSpecsOf(kind)) {
    if (!out.empty()) {
      out += ", ";
    }
    out += spec.name;
  }
  return out;
}

const std::vector<std::string>& ColumnsOf(RecordKind kind) {
  return NamesOf(kind).all;
}

const std::vector<std::string>& RequiredColumnsOf(RecordKind kind) {
  return NamesOf(kind).required;
}

std::optional<FileFormat> FormatFromPath(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return std::nullopt;
  }
  const std::string extension = ToLowerAscii(path.substr(dot + 1));
  if (extension == "csv") {
    return FileFormat::kCsv;
  }
  if (extension == "json") {
    return FileFormat::kJson;
  }
  return std::nullopt;
}

Result<RecordKind> DetectRecordKind(const std::vector<std::string>& columns) {
  struct Fit {
    RecordKind kind;
    std::size_t known = 0;
    std::size_t missing_required = 0;
  };
  std::vector<Fit> fits;
  for (RecordKind kind : AllRecordKinds()) {
    Fit fit{kind};
    for (const std::string& column : columns) {
      if (ColumnIndexOf(kind, column) >= 0) {
        ++fit.known;
      }
    }
    for (const std::string& required : RequiredColumnsOf(kind)) {
      if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
        ++fit.missing_required;
      }
    }
    fits.push_back(fit);
  }
  std::stable_sort(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) {
    if (a.known != b.known) {
      return a.known > b.known;
    }
    return a.missing_required < b.missing_required;
  });
  std::string listed;
  for (const std::string& column : columns) {
    listed += listed.empty() ? column : ", " + column;
  }
  if (fits.empty() || fits[0].known == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot tell the record kind: none of the columns (" + listed +
                    ") is a registry column (expected e.g. the columns of " +
                    std::string(RecordKindName(RecordKind::kEvent)) + ": " +
                    ColumnListText(RecordKind::kEvent) + "; or pass --kind)");
  }
  if (fits.size() > 1 && fits[1].known == fits[0].known &&
      fits[1].missing_required == fits[0].missing_required) {
    std::string candidates;
    for (const Fit& fit : fits) {
      if (fit.known == fits[0].known && fit.missing_required == fits[0].missing_required) {
        candidates += (candidates.empty() ? "" : ", ") + std::string(RecordKindName(fit.kind));
      }
    }
    return Fail(ErrorCode::kInvalidArgument, "cannot tell the record kind: the columns (" + listed +
                                                 ") fit " + candidates +
                                                 " equally well (expected --kind)");
  }
  return fits[0].kind;
}

}  // namespace citydip::ingest
