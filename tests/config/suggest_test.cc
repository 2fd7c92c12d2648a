#include "suggest.h"

#include <gtest/gtest.h>

#include <array>

namespace flowd::config_detail {
namespace {

TEST(EditDistance, CountsEdits) {
  EXPECT_EQ(edit_distance("listen", "listen"), 0u);
  EXPECT_EQ(edit_distance("lisen", "listen"), 1u);
  EXPECT_EQ(edit_distance("wrokers", "workers"), 1u);  // a swap counts once
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("api", "log"), 3u);
}

TEST(ClosestMatch, OffersNearMissesOnly) {
  constexpr std::array<std::string_view, 4> kKeys = {"listen", "workers", "log", "api"};
  EXPECT_EQ(closest_match("lisen", kKeys), "listen");
  EXPECT_EQ(closest_match("Listen", kKeys), "listen");
  EXPECT_EQ(closest_match("wrokers", kKeys), "workers");
  EXPECT_EQ(closest_match("lgo", kKeys), "log");
  EXPECT_EQ(closest_match("lxx", kKeys), std::nullopt);  // two edits is too many for a 3-letter key
  EXPECT_EQ(closest_match("logs", kKeys), "log");
  EXPECT_EQ(closest_match("metrics", kKeys), std::nullopt);
}

}  // namespace
}  // namespace flowd::config_detail
