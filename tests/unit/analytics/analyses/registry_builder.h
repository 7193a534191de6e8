// Small handmade registries for the analyses' tests: a fluent way to add cities, officials,
// mechanisms and events with only the fields a test cares about. Every record is synthetic.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/model.h"

namespace citydip::analytics::testing {

inline PartialDate D(const std::string& text) {
  return text.empty() ? PartialDate() : *PartialDate::Parse(text);
}

inline CityRef Seoul() {
  return {"Seoul", "KOR"};
}
inline CityRef Beijing() {
  return {"Beijing", "CHN"};
}
inline CityRef Shanghai() {
  return {"Shanghai", "CHN"};
}
inline CityRef Tokyo() {
  return {"Tokyo", "JPN"};
}

class RegistryBuilder {
 public:
  RegistryBuilder() {
    for (const auto& c : {Seoul(), Beijing(), Shanghai(), Tokyo()}) {
      City city;
      city.name_en = c.name;
      city.country = c.country;
      city.sources = {"https://example.org/synthetic"};
      registry_.cities.push_back(city);
    }
  }

  /// Adds an event and returns it for further edits; ids and refs are numbered E1, E2, ...
  Event& AddEvent(const std::string& date,
                  EventType type,
                  CityRef partner = Beijing(),
                  std::optional<Direction> direction = Direction::kOutbound,
                  std::optional<Level> level = Level::kMayor) {
    Event e;
    e.id = static_cast<RecordId>(registry_.events.size() + 1);
    e.ref = "E" + std::to_string(e.id);
    e.date = D(date);
    e.home_city = Seoul();
    e.partner_cities = {std::move(partner)};
    e.direction = direction;
    e.type = type;
    e.level = level;
    e.sources = {"https://example.org/synthetic"};
    registry_.events.push_back(std::move(e));
    return registry_.events.back();
  }

  Official& AddMayor(const std::string& name,
                     const std::string& start,
                     const std::string& end,
                     bool acting = false) {
    Official o;
    o.id = static_cast<RecordId>(registry_.officials.size() + 1);
    o.name_en = name;
    o.office = "mayor";
    o.city = Seoul();
    o.term_start = D(start);
    o.term_end = D(end);
    o.acting = acting;
    o.sources = {"https://example.org/synthetic"};
    registry_.officials.push_back(std::move(o));
    return registry_.officials.back();
  }

  Mechanism& AddMechanism(const std::string& name,
                          const std::string& founded,
                          std::vector<CityRef> partners = {Beijing()}) {
    Mechanism m;
    m.name_en = name;
    m.cities = {Seoul()};
    m.cities.insert(m.cities.end(), partners.begin(), partners.end());
    m.founded = D(founded);
    m.sources = {"https://example.org/synthetic"};
    registry_.mechanisms.push_back(std::move(m));
    return registry_.mechanisms.back();
  }

  [[nodiscard]] const Registry& registry() const { return registry_; }
  Registry& mutable_registry() { return registry_; }

 private:
  Registry registry_;
};

inline Scope SeoulBeijing(Granularity period = Granularity::kYear) {
  Scope s;
  s.home = Seoul();
  s.partner.city = Beijing();
  s.period = period;
  return s;
}

}  // namespace citydip::analytics::testing
