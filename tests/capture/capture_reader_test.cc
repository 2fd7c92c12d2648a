#include "onefirewall_flowd/capture/capture_reader.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

TEST(SplitRawPayloads, EmptyInputGivesNothing) {
  EXPECT_TRUE(split_raw_payloads({}).empty());
}

}  // namespace
}  // namespace flowd
