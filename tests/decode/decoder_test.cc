#include "onefirewall_flowd/decode/decoder.h"

#include <gtest/gtest.h>

#include "hex.h"
#include "v5_vectors.h"

namespace flowd {
namespace {

struct DecoderTest : ::testing::Test {
  DecodeStats stats;
  Decoder decoder{stats};
  std::vector<FlowRecord> out;

  void decode(const std::vector<uint8_t>& bytes) {
    decoder.decode(Datagram{*IpAddress::parse("192.0.2.1"), 2055, bytes, {}}, out);
  }
};

TEST_F(DecoderTest, CountsDatagramsAndFlows) {
  decode(test::hex(test::kV5TwoRecords));
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(stats.datagrams.value(), 1u);
  EXPECT_EQ(stats.flows.value(), 2u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(DecoderTest, CountsEachDropReason) {
  decode({});
  decode({0x00});
  decode(test::hex("0007 0001"));
  decode(test::hex("0005 0000 00000000 00000000 00000000 00000000 0000 0000"));
  decode(test::hex("0005 0001 00000000 00000000 00000000 00000000 0000 0000 00"));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(stats.datagrams.value(), 5u);
  EXPECT_EQ(stats.errors.value(DecodeError::kTruncatedHeader), 2u);
  EXPECT_EQ(stats.errors.value(DecodeError::kUnsupportedVersion), 1u);
  EXPECT_EQ(stats.errors.value(DecodeError::kV5BadCount), 1u);
  EXPECT_EQ(stats.errors.value(DecodeError::kV5Truncated), 1u);
  EXPECT_EQ(stats.flows.value(), 0u);
}

TEST_F(DecoderTest, BadDatagramDoesNotDisturbTheNext) {
  decode(test::hex("0005 00ff"));
  decode(test::hex(test::kV5TwoRecords));
  EXPECT_EQ(out.size(), 2u);
}

TEST_F(DecoderTest, CountsV5FlowSequenceGaps) {
  auto bytes = test::hex(test::kV5TwoRecords);  // sequence 42, 2 flows
  decode(bytes);
  bytes[19] = 50;  // 44 expected: 6 flows lost
  decode(bytes);
  EXPECT_EQ(stats.sequence_lost.value(), 6u);
  EXPECT_EQ(stats.sequence_resets.value(), 0u);
}

TEST(DecodeError, NamesEveryReason) {
  for (int i = 0; i < static_cast<int>(DecodeError::kCount); ++i) {
    EXPECT_NE(to_string(static_cast<DecodeError>(i)), "unknown");
  }
}

}  // namespace
}  // namespace flowd
