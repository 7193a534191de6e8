// Recommendations: one next step per KPI not met (naming the partners, networks and mechanisms
// its evaluation found) and per analysis opportunity serving an action not met, ranked by the
// weighted gap they address.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "citydip/analytics/strategy/internal/evaluator.h"
#include "citydip/analytics/strategy/internal/registry_index.h"
#include "citydip/analytics/strategy/scorecard.h"
#include "citydip/core/text.h"

namespace citydip::analytics::strategy {
namespace {

// Opportunities turned into recommendations per action, at most.
constexpr std::size_t kMaxOpportunitiesPerAction = 3;

std::string Either(const std::string& preferred, const std::string& fallback) {
  return preferred.empty() ? fallback : preferred;
}

std::string JoinLabels(const std::vector<Label>& labels, bool korean) {
  std::string out;
  for (const auto& label : labels) {
    out += (out.empty() ? "" : ", ") + (korean ? label.ko : label.en);
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

// "in the last 3 years", "from 2013-01-01 to 2024-12-31", "as at 2024-12-31".
std::string PeriodPhrase(const KpiResult& kpi, bool korean) {
  if (kpi.subject == Subject::kMetric) {
    return "";
  }
  const std::string to = kpi.to.ToString();
  if (kpi.subject != Subject::kEvents) {
    return korean ? to + " 기준" : "as at " + to;
  }
  if (kpi.from.empty()) {
    return korean ? to + "까지 누적" : "up to " + to;
  }
  return korean ? kpi.from.ToString() + "~" + to : "from " + kpi.from.ToString() + " to " + to;
}

// The verb for the home city's role in a network: "presides", "hosts the secretariat of", ...
std::string RoleVerb(MembershipRole role) {
  switch (role) {
    case MembershipRole::kPresident:
      return "presides";
    case MembershipRole::kSecretariatHost:
      return "hosts the secretariat of";
    case MembershipRole::kFounder:
      return "co-founded";
    case MembershipRole::kBoard:
      return "sits on the board of";
    case MembershipRole::kMember:
      return "belongs to";
    case MembershipRole::kObserver:
      return "observes";
  }
  return "belongs to";
}

std::string DefaultAdvice(const KpiResult& kpi, bool korean) {
  const std::string target = FormatValue(kpi.measure, kpi.target, kpi.unit);
  if (kpi.direction == TargetDirection::kDecrease) {
    return korean ? target + " 이하로 낮추십시오" : "bring it down to " + target;
  }
  return korean ? target + " 이상으로 높이십시오" : "raise it to " + target;
}

// Ends with a full stop; an English sentence starts with a capital.
std::string Sentence(std::string text, bool capitalize = false) {
  if (capitalize && !text.empty() && text.front() >= 'a' && text.front() <= 'z') {
    text.front() = static_cast<char>(text.front() - 'a' + 'A');
  }
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') {
    text += ".";
  }
  return text;
}

}  // namespace

std::vector<Recommendation> Recommend(const StrategyPlan& plan,
                                      const Scorecard& scorecard,
                                      const Registry& registry,
                                      const AnalysisInputs& inputs,
                                      std::size_t limit) {
  const internal::RegistryIndex index(registry);
  internal::Evaluator evaluator(plan, index, inputs);
  const bool resolved = evaluator.Resolve().has_value();
  const DayNumber day = scorecard.as_of.empty() ? 0 : scorecard.as_of.LastDay();
  const Label home = scorecard.home;

  std::vector<Recommendation> out;
  for (std::size_t s = 0; s < plan.strategies.size() && s < scorecard.strategies.size(); ++s) {
    const Strategy& strategy = plan.strategies[s];
    const StrategyResult& strategy_result = scorecard.strategies[s];
    for (std::size_t a = 0; a < strategy.actions.size() && a < strategy_result.actions.size();
         ++a) {
      const Action& action = strategy.actions[a];
      const ActionResult& action_result = strategy_result.actions[a];
      std::vector<std::pair<std::string, std::string>> covered;  // (organization, partner)
      for (std::size_t k = 0; k < action.kpis.size() && k < action_result.kpis.size(); ++k) {
        const Kpi& kpi = action.kpis[k];
        const KpiResult& result = action_result.kpis[k];
        if (result.status == KpiStatus::kMet) {
          continue;
        }
        Recommendation item;
        item.strategy = strategy.id;
        item.action = action.id;
        item.kpi = kpi.id;
        item.gap = result.gap;
        item.partners = result.gap_partners;
        item.organizations = result.gap_organizations;
        const std::string head_en = action.name_en + " — " + kpi.name_en;
        const std::string head_ko = action.name_ko + " — " + kpi.name_ko;
        if (!result.value) {
          item.kind = "record";
          item.text_en = head_en + ": no data (" + result.note +
                         "); start recording what this indicator measures.";
          item.text_ko = head_ko + ": 측정 자료가 없습니다. 이 지표를 측정할 자료를 기록하십시오.";
          out.push_back(std::move(item));
          continue;
        }
        item.kind = kpi.direction == TargetDirection::kIncrease ? "raise" : "lower";
        const std::string value = FormatValue(result.measure, *result.value, result.unit);
        const std::string target = FormatValue(result.measure, result.target, result.unit);
        const std::string period_en = PeriodPhrase(result, false);
        const std::string period_ko = PeriodPhrase(result, true);
        std::string advice_en = Either(kpi.advice_en, action.advice_en);
        std::string advice_ko = Either(kpi.advice_ko, action.advice_ko);
        if (advice_en.empty()) {
          advice_en = DefaultAdvice(result, false);
        }
        if (advice_ko.empty()) {
          advice_ko = DefaultAdvice(result, true);
        }
        item.text_en = head_en + ": " + value + " against a target of " + target +
                       (period_en.empty() ? "" : " (" + period_en + ")") + ". " +
                       Sentence(advice_en, true);
        item.text_ko = head_ko + ": " + value + " (목표 " + target +
                       (period_ko.empty() ? "" : ", " + period_ko) + "). " + Sentence(advice_ko);

        const std::string partners_en = JoinLabels(item.partners, false);
        const std::string partners_ko = JoinLabels(item.partners, true);
        const std::string organizations = Join(item.organizations);
        switch (result.subject) {
          case Subject::kOrganizations:
            if (kpi.where.partner_member.value_or(false) && !item.partners.empty()) {
              const Label& partner = item.partners.front();
              for (const auto& organization : item.organizations) {
                const auto role = evaluator.HomeRole(organization, day);
                const std::string verb = role ? RoleVerb(*role) : "belongs to";
                const std::string role_ko =
                    role ? std::string(EntryOf(*role).label_ko) : std::string("회원");
                item.text_en += " Invite " + partner.en + " into " + organization + ", which " +
                                home.en + " " + verb + " and " + partner.en + " has not joined.";
                item.text_ko += " " + organization + ": " + home.ko + " " + role_ko + ", " +
                                partner.ko + " 미가입 — " + partner.ko + " 가입 초청.";
                covered.emplace_back(ToLowerAscii(organization), partner.en);
              }
            } else if (!organizations.empty()) {
              item.text_en += " Networks to work through: " + organizations + ".";
              item.text_ko += " 활용할 네트워크: " + organizations + ".";
            }
            break;
          case Subject::kMemberships:
            if (!organizations.empty()) {
              item.text_en +=
                  " Consider joining " + organizations + ", where partners already " + "take part.";
              item.text_ko += " 상대 도시가 참여하는 " + organizations + " 가입을 검토하십시오.";
            }
            break;
          case Subject::kMechanisms:
            if (!organizations.empty()) {
              item.text_en += " Convene " + organizations + " on the shared agenda.";
              item.text_ko += " " + organizations + " 회의를 핵심 공동 의제로 개최하십시오.";
            }
            if (!partners_en.empty()) {
              item.text_en += " Partners without a standing mechanism: " + partners_en + ".";
              item.text_ko += " 상설 협력 기구가 없는 상대 도시: " + partners_ko + ".";
            }
            break;
          case Subject::kRelations:
            if (!partners_en.empty()) {
              item.text_en += " Cities met often without a formal relation: " + partners_en + ".";
              item.text_ko += " 공식 관계 없이 자주 교류한 도시: " + partners_ko + ".";
            }
            break;
          case Subject::kEvents:
            if (!partners_en.empty()) {
              item.text_en += " Partners with the least such activity: " + partners_en + ".";
              item.text_ko += " 해당 교류가 가장 적은 상대 도시: " + partners_ko + ".";
            }
            if (!organizations.empty()) {
              item.text_en += " Venues: " + organizations + ".";
              item.text_ko += " 활용할 장: " + organizations + ".";
            }
            break;
          case Subject::kMetric:
            break;
        }
        out.push_back(std::move(item));
      }

      if (action_result.status == KpiStatus::kMet || !resolved) {
        continue;
      }
      // The analysis's best openings serving this action (its order is best first), sharing
      // the action's gap.
      std::vector<Recommendation> openings;
      for (const auto& opportunity : inputs.opportunities) {
        const bool serves =
            std::any_of(action.opportunities.begin(), action.opportunities.end(),
                        [&](const NameRef& kind) { return kind.name == opportunity.kind; });
        if (!serves || !evaluator.InPlanScope(opportunity.partner) ||
            openings.size() >= kMaxOpportunitiesPerAction) {
          continue;
        }
        const Label partner = index.LabelOf(opportunity.partner);
        if (std::find(covered.begin(), covered.end(),
                      std::pair(ToLowerAscii(opportunity.organization), partner.en)) !=
            covered.end()) {
          continue;  // a KPI's recommendation already says it
        }
        Recommendation item;
        item.strategy = strategy.id;
        item.action = action.id;
        item.kind = opportunity.kind;
        item.partners = {partner};
        if (!opportunity.organization.empty()) {
          item.organizations = {opportunity.organization};
        }
        const std::string fallback =
            opportunity.kind + ": " + partner.en +
            (opportunity.organization.empty() ? "" : ", " + opportunity.organization);
        item.text_en =
            action.name_en + " — " + Sentence(Either(opportunity.text_en, fallback), true);
        item.text_ko = action.name_ko + " — " +
                       Sentence(Either(opportunity.text_ko, Either(opportunity.text_en, fallback)));
        openings.push_back(std::move(item));
      }
      for (auto& item : openings) {
        item.gap = action_result.gap / static_cast<double>(openings.size());
        out.push_back(std::move(item));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Recommendation& x, const Recommendation& y) {
    return x.gap > y.gap + 1e-12;
  });
  if (limit > 0 && out.size() > limit) {
    out.resize(limit);
  }
  return out;
}

}  // namespace citydip::analytics::strategy
