// Twin-town pairs from Wikidata (property P190, "twinned administrative body") in the 12-column
// TSV of the rogorido/sistercities project (the SPARQL results of
// https://github.com/rogorido/sistercities): each row names an origin city and its country, a
// sister city and its country, their coordinates and populations, the distance and whether the
// sister city is in the EU. Rows become City and PartnerRelation records; a city is identified by
// its name and country, pairs are undirected, and repeated pairs and self-pairs are dropped.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/ingest/registry_io.h"

namespace citydip::ingest {

/// The header of the format, in order.
[[nodiscard]] const std::vector<std::string>& TwinningColumns();

/// Maps a country as a file names it ("People's Republic of China", "Germany", "DEU") to its
/// ISO 3166-1 alpha-3 code, or nullopt when it is not a country it knows.
using CountryResolver = std::function<std::optional<std::string>(std::string_view)>;

struct TwinningOptions {
  /// Required: resolves the origincountry and destination_countryLabel columns. Wikidata labels
  /// the resolver does not know are tried against a built-in list of Wikidata country labels
  /// (e.g. "Palestinian National Authority" → PSE) before the row is rejected.
  CountryResolver resolve_country{};
  /// Sources of every created city and relation.
  std::vector<std::string> sources = {"https://www.wikidata.org/wiki/Property:P190"};
  /// Diagnostics kept at most (all are counted).
  std::size_t max_errors = 20;
};

/// Where a record came from: "FILE:LINE".
struct TwinningOrigin {
  std::string file;
  std::size_t line = 0;
};

/// What a set of files holds, and what was left out and why.
struct TwinningData {
  /// One per (name, country), with the coordinates of its first row.
  std::vector<City> cities;
  std::vector<TwinningOrigin> city_origins;  // parallel to cities
  /// One per unordered pair, oriented as first seen (origin → sister), kind sister, active.
  std::vector<PartnerRelation> relations;
  std::vector<TwinningOrigin> relation_origins;  // parallel to relations
  /// Errors (at most max_errors kept); any error rejects the whole import.
  std::vector<Diagnostic> diagnostics;
  std::size_t error_count = 0;
  /// Data rows read.
  std::size_t rows = 0;
  /// Rows naming a pair already read (in either direction, in any file).
  std::size_t duplicate_pairs = 0;
  /// Rows whose two cities have the same name and country (homonyms: Wikidata has, e.g., two
  /// towns called Falkenstein in Germany twinned with each other); they cannot be told apart.
  std::size_t self_pairs = 0;
  /// Rows left out because a country is a former state ("Austria-Hungary"), an unrecognized
  /// territory or an unknown value (Wikidata blank nodes such as "t430222130"); counted and
  /// listed (at most max_errors), not errors.
  std::vector<Diagnostic> skipped;
  std::size_t skipped_count = 0;
  /// Names whose rows place the city more than 25 km apart: different places with the same name
  /// and country, merged because a city is identified by name and country.
  std::size_t merged_homonyms = 0;

  [[nodiscard]] bool ok() const { return error_count == 0; }
};

/// Reads twinning files one after another into one set of cities and relations.
class TwinningReader {
 public:
  /// `options.resolve_country` must be set.
  explicit TwinningReader(TwinningOptions options);

  /// Parses `content` (the bytes of the file named `path`, used in messages) and adds its rows.
  void Read(std::string_view path, std::string_view content);
  /// Reads and parses a file. kNotFound when it does not exist, kUnavailable when unreadable.
  [[nodiscard]] Status ReadFile(const std::string& path);

  [[nodiscard]] const TwinningData& data() const { return data_; }
  /// Hands over the data (the reader is then empty).
  [[nodiscard]] TwinningData Take();

 private:
  void ReadRow(std::string_view path, std::size_t line, std::string_view text);
  void AddError(std::string_view path, std::size_t line, std::size_t column, std::string message);
  std::size_t AddCity(const std::string& name,
                      const std::string& country,
                      std::optional<double> lat,
                      std::optional<double> lon,
                      std::string_view path,
                      std::size_t line);

  TwinningOptions options_;
  TwinningData data_;
  struct Index;
  std::shared_ptr<Index> index_;
};

/// Whether the first line of `content` is the twinning header (for detecting the format).
[[nodiscard]] bool LooksLikeTwinning(std::string_view content);

}  // namespace citydip::ingest
