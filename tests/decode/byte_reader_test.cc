#include "onefirewall_flowd/decode/byte_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace flowd {
namespace {

TEST(ByteReader, ReadsBigEndianIntegers) {
  const std::vector<uint8_t> data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                     0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  ByteReader r(data);
  uint8_t a = 0;
  uint16_t b = 0;
  uint32_t c = 0;
  uint64_t d = 0;
  ASSERT_TRUE(r.read_u8(a));
  ASSERT_TRUE(r.read_u16(b));
  ASSERT_TRUE(r.read_u32(c));
  ASSERT_TRUE(r.read_u64(d));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x04050607u);
  EXPECT_EQ(d, 0x08090a0b0c0d0e0full);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, ReadsVariableWidthIntegers) {
  const std::vector<uint8_t> data = {0x12, 0x34, 0x56};
  ByteReader r(data);
  uint64_t v = 0;
  ASSERT_TRUE(r.read_uint(3, v));
  EXPECT_EQ(v, 0x123456u);
  ByteReader zero(data);
  EXPECT_FALSE(zero.read_uint(0, v));
  ByteReader wide(data);
  EXPECT_FALSE(wide.read_uint(9, v));
}

TEST(ByteReader, ShortReadFailsAndLeavesOutputUntouched) {
  const std::vector<uint8_t> data = {0xaa, 0xbb, 0xcc};
  ByteReader r(data);
  uint32_t v = 7;
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(v, 7u);
  EXPECT_TRUE(r.failed());
}

TEST(ByteReader, EveryReadFailsAfterTheFirstFailure) {
  const std::vector<uint8_t> data = {0xaa, 0xbb, 0xcc};
  ByteReader r(data);
  uint32_t big = 0;
  EXPECT_FALSE(r.read_u32(big));
  uint8_t small = 0;
  EXPECT_FALSE(r.read_u8(small));
  EXPECT_FALSE(r.skip(0));
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_TRUE(r.rest().empty());
}

TEST(ByteReader, SkipChecksLengthWithoutOverflow) {
  const std::vector<uint8_t> data(4);
  ByteReader r(data);
  EXPECT_TRUE(r.skip(2));
  EXPECT_FALSE(r.skip(SIZE_MAX));
  EXPECT_TRUE(r.failed());
}

TEST(ByteReader, SubReaderCoversExactlyItsBytes) {
  const std::vector<uint8_t> data = {0x00, 0x02, 0xaa, 0xbb, 0xcc};
  ByteReader r(data);
  uint16_t length = 0;
  ASSERT_TRUE(r.read_u16(length));
  ByteReader set(std::span<const uint8_t>{});
  ASSERT_TRUE(r.sub_reader(length, set));
  EXPECT_EQ(set.remaining(), 2u);
  uint16_t inner = 0;
  ASSERT_TRUE(set.read_u16(inner));
  EXPECT_EQ(inner, 0xaabb);
  uint8_t past = 0;
  EXPECT_FALSE(set.read_u8(past));  // the sub-reader cannot see its parent's byte
  ASSERT_TRUE(r.read_u8(past));
  EXPECT_EQ(past, 0xcc);
}

TEST(ByteReader, SubReaderLongerThanRemainingFails) {
  const std::vector<uint8_t> data = {0x01, 0x02};
  ByteReader r(data);
  ByteReader set(std::span<const uint8_t>{});
  EXPECT_FALSE(r.sub_reader(3, set));
  EXPECT_TRUE(r.failed());
}

TEST(ByteReader, ReadBytesCopies) {
  const std::vector<uint8_t> data = {1, 2, 3};
  ByteReader r(data);
  std::array<uint8_t, 2> out{};
  ASSERT_TRUE(r.read_bytes(out));
  EXPECT_EQ(out[1], 2);
  std::array<uint8_t, 2> more{};
  EXPECT_FALSE(r.read_bytes(more));
}

}  // namespace
}  // namespace flowd
