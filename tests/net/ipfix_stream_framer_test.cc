#include "onefirewall_flowd/net/ipfix_stream_framer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace flowd {
namespace {

// An IPFIX message of `length` bytes: a header, then filler.
std::vector<uint8_t> message_of(uint16_t length, uint16_t version = 10) {
  std::vector<uint8_t> m(std::max<size_t>(length, 16), 0xAB);
  m[0] = static_cast<uint8_t>(version >> 8);
  m[1] = static_cast<uint8_t>(version);
  m[2] = static_cast<uint8_t>(length >> 8);
  m[3] = static_cast<uint8_t>(length);
  return m;
}

// Feeds stream in pieces of at most `piece` bytes; the messages framed, and the last result.
struct Fed {
  std::vector<std::vector<uint8_t>> messages;
  IpfixStreamFramer::Result last = IpfixStreamFramer::Result::kNeedMore;
};
Fed feed(IpfixStreamFramer& framer, const std::vector<uint8_t>& stream, size_t piece) {
  Fed fed;
  size_t pos = 0;
  while (pos < stream.size()) {
    const std::span<uint8_t> into = framer.wanted();
    const size_t n = std::min({into.size(), piece, stream.size() - pos});
    std::copy_n(stream.begin() + static_cast<ptrdiff_t>(pos), n, into.begin());
    pos += n;
    fed.last = framer.received(n);
    if (fed.last == IpfixStreamFramer::Result::kMessage) {
      fed.messages.emplace_back(framer.message().begin(), framer.message().end());
    } else if (fed.last != IpfixStreamFramer::Result::kNeedMore) {
      break;
    }
  }
  return fed;
}

TEST(IpfixStreamFramer, FramesBackToBackMessagesByTheirLength) {
  std::vector<uint8_t> stream = message_of(40);
  const std::vector<uint8_t> second = message_of(16);
  const std::vector<uint8_t> third = message_of(100);
  stream.insert(stream.end(), second.begin(), second.end());
  stream.insert(stream.end(), third.begin(), third.end());
  IpfixStreamFramer framer;
  const Fed fed = feed(framer, stream, 65535);
  ASSERT_EQ(fed.messages.size(), 3U);
  EXPECT_EQ(fed.messages[0].size(), 40U);
  EXPECT_EQ(fed.messages[1].size(), 16U);
  EXPECT_EQ(fed.messages[2], third);
}

TEST(IpfixStreamFramer, JoinsAMessageSplitIntoOneByteReads) {
  IpfixStreamFramer framer;
  const std::vector<uint8_t> message = message_of(53);
  const Fed fed = feed(framer, message, 1);
  ASSERT_EQ(fed.messages.size(), 1U);
  EXPECT_EQ(fed.messages[0], message);
}

TEST(IpfixStreamFramer, ReportsAPartialMessageAsMidMessage) {
  IpfixStreamFramer framer;
  EXPECT_FALSE(framer.mid_message());
  std::vector<uint8_t> message = message_of(64);
  message.resize(20);
  EXPECT_EQ(feed(framer, message, 65535).last, IpfixStreamFramer::Result::kNeedMore);
  EXPECT_TRUE(framer.mid_message());
}

TEST(IpfixStreamFramer, AsksForNoMoreThanTheRestOfTheMessage) {
  IpfixStreamFramer framer;
  EXPECT_EQ(framer.wanted().size(), 16U);
  const std::vector<uint8_t> header = message_of(65535);
  (void)feed(framer, {header.begin(), header.begin() + 16}, 16);
  EXPECT_EQ(framer.wanted().size(), 65535U - 16U);
}

TEST(IpfixStreamFramer, RejectsAVersionOtherThanTen) {
  IpfixStreamFramer framer;
  EXPECT_EQ(feed(framer, message_of(40, 9), 65535).last, IpfixStreamFramer::Result::kBadVersion);
}

TEST(IpfixStreamFramer, RejectsALengthShorterThanTheHeader) {
  IpfixStreamFramer framer;
  EXPECT_EQ(feed(framer, message_of(15), 65535).last, IpfixStreamFramer::Result::kBadLength);
}

}  // namespace
}  // namespace flowd
