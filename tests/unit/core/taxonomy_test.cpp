#include "citydip/core/taxonomy.h"

#include <fstream>
#include <sstream>

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

template <typename E>
void ExpectDocumented(const std::string& doc) {
  for (const auto& entry : EnumEntries<E>()) {
    const std::string row = "| `" + std::string(entry.code) + "` | " + std::string(entry.label_en) +
                            " | " + std::string(entry.label_ko) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/data-model.md lacks: " << row;
  }
}

TEST(TaxonomyTest, DataModelDocListsEveryValueWithBothLabels) {
  std::ifstream file(std::string(CITYDIP_SOURCE_DIR) + "/docs/data-model.md");
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string doc = buffer.str();
  ASSERT_FALSE(doc.empty());

  ExpectDocumented<CityKind>(doc);
  ExpectDocumented<RelationKind>(doc);
  ExpectDocumented<RelationStatus>(doc);
  ExpectDocumented<OrgKind>(doc);
  ExpectDocumented<MembershipRole>(doc);
  ExpectDocumented<Direction>(doc);
  ExpectDocumented<EventType>(doc);
  ExpectDocumented<Framework>(doc);
  ExpectDocumented<Mode>(doc);
  ExpectDocumented<Level>(doc);
  ExpectDocumented<Topic>(doc);
  ExpectDocumented<StakeholderKind>(doc);
  ExpectDocumented<EventStatus>(doc);
  ExpectDocumented<Claim>(doc);
}

}  // namespace
}  // namespace citydip
