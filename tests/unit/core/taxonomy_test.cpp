#include "citydip/core/taxonomy.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

template <typename E>
void ExpectTableInDeclarationOrder() {
  std::size_t index = 0;
  for (const auto& entry : EnumEntries<E>()) {
    EXPECT_EQ(static_cast<std::size_t>(entry.value), index) << EnumName<E>() << " " << entry.code;
    EXPECT_FALSE(entry.label_en.empty());
    EXPECT_FALSE(entry.label_ko.empty());
    EXPECT_EQ(ParseEnum<E>(entry.code), entry.value);
    ++index;
  }
  EXPECT_GT(index, 0U);
}

TEST(TaxonomyTest, EveryVocabularyIsCompleteAndBilingual) {
  ExpectTableInDeclarationOrder<CityKind>();
  ExpectTableInDeclarationOrder<RelationKind>();
  ExpectTableInDeclarationOrder<RelationStatus>();
  ExpectTableInDeclarationOrder<OrgKind>();
  ExpectTableInDeclarationOrder<MembershipRole>();
  ExpectTableInDeclarationOrder<Direction>();
  ExpectTableInDeclarationOrder<EventType>();
  ExpectTableInDeclarationOrder<Framework>();
  ExpectTableInDeclarationOrder<Mode>();
  ExpectTableInDeclarationOrder<Level>();
  ExpectTableInDeclarationOrder<Topic>();
  ExpectTableInDeclarationOrder<StakeholderKind>();
  ExpectTableInDeclarationOrder<EventStatus>();
  ExpectTableInDeclarationOrder<Claim>();
}

TEST(TaxonomyTest, EventTypesAreTheFourteenOfTheDataModel) {
  EXPECT_EQ(EnumEntries<EventType>().size(), 14U);
  EXPECT_EQ(ParseEnum<EventType>("leader_visit"), EventType::kLeaderVisit);
  EXPECT_FALSE(ParseEnum<EventType>("Leader_Visit").has_value());
  EXPECT_EQ(AllowedCodes<Framework>(), "bilateral, multilateral, bilateral_within_multilateral");
}

}  // namespace
}  // namespace citydip
