#include "onefirewall_flowd/decode/netflow_v5.h"

#include <gtest/gtest.h>

#include "hex.h"
#include "v5_vectors.h"

namespace flowd {
namespace {

Datagram datagram_of(const std::vector<uint8_t>& bytes) {
  return Datagram{*IpAddress::parse("192.0.2.1"), 2055, bytes, {}};
}

TEST(NetflowV5, DecodesAnnotatedVector) {
  const auto bytes = test::hex(test::kV5TwoRecords);
  ASSERT_EQ(bytes.size(), kV5HeaderSize + 2 * kV5RecordSize);
  std::vector<FlowRecord> out;
  ASSERT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kNone);
  ASSERT_EQ(out.size(), 2u);

  const FlowRecord& tcp = out[0];
  EXPECT_EQ(tcp.exporter.to_string(), "192.0.2.1");
  EXPECT_EQ(tcp.version, 5);
  EXPECT_EQ(tcp.domain, 0x0102u);
  EXPECT_EQ(tcp.src_addr.to_string(), "192.168.10.5");
  EXPECT_EQ(tcp.dst_addr.to_string(), "198.51.100.1");
  EXPECT_EQ(tcp.src_port, 40000);
  EXPECT_EQ(tcp.dst_port, 443);
  EXPECT_EQ(tcp.protocol, 6);
  EXPECT_EQ(tcp.tcp_flags, 0x1b);
  EXPECT_EQ(tcp.input_interface, 3u);
  EXPECT_EQ(tcp.output_interface, 4u);
  EXPECT_EQ(tcp.packets, 10u);
  EXPECT_EQ(tcp.octets, 4000u);
  EXPECT_EQ(tcp.sampling_interval, 100u);
  EXPECT_EQ(tcp.start_ms, 1'599'999'995'500);
  EXPECT_EQ(tcp.end_ms, 1'599'999'999'500);

  const FlowRecord& udp = out[1];
  EXPECT_EQ(udp.src_addr.to_string(), "198.51.100.53");
  EXPECT_EQ(udp.dst_addr.to_string(), "192.168.10.5");
  EXPECT_EQ(udp.src_port, 53);
  EXPECT_EQ(udp.dst_port, 51000);
  EXPECT_EQ(udp.protocol, 17);
  EXPECT_EQ(udp.start_ms, 1'600'000'000'500);
}

TEST(NetflowV5, UptimeWrapKeepsTimesBeforeExport) {
  std::vector<FlowRecord> out;
  ASSERT_EQ(decode_netflow_v5(datagram_of(test::hex(test::kV5UptimeWrap)), out), DecodeError::kNone);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 1'600'000'000'000 - 2000);
  EXPECT_EQ(out[0].end_ms, 1'600'000'000'000);
  EXPECT_EQ(out[0].sampling_interval, 1u);
}

TEST(NetflowV5, EveryTruncatedPrefixIsRejectedWithoutRecords) {
  const auto bytes = test::hex(test::kV5TwoRecords);
  for (size_t n = 0; n < bytes.size(); ++n) {
    const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<long>(n));
    std::vector<FlowRecord> out;
    const DecodeError error = decode_netflow_v5(datagram_of(prefix), out);
    EXPECT_NE(error, DecodeError::kNone) << "prefix of " << n << " bytes";
    EXPECT_EQ(error, n < kV5HeaderSize ? DecodeError::kTruncatedHeader : DecodeError::kV5Truncated)
        << "prefix of " << n << " bytes";
    EXPECT_TRUE(out.empty()) << "prefix of " << n << " bytes";
  }
}

TEST(NetflowV5, RejectsZeroAndOversizedCounts) {
  auto bytes = test::hex(test::kV5TwoRecords);
  std::vector<FlowRecord> out;
  bytes[3] = 0;
  EXPECT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kV5BadCount);
  bytes[3] = 31;
  EXPECT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kV5BadCount);
  bytes[2] = 0xff;
  bytes[3] = 0xff;
  EXPECT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kV5BadCount);
  EXPECT_TRUE(out.empty());
}

TEST(NetflowV5, CountLargerThanPayloadIsTruncated) {
  auto bytes = test::hex(test::kV5TwoRecords);
  bytes[3] = 3;
  std::vector<FlowRecord> out;
  EXPECT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kV5Truncated);
  EXPECT_TRUE(out.empty());
}

TEST(NetflowV5, TrailingPaddingIsIgnored) {
  auto bytes = test::hex(test::kV5TwoRecords);
  bytes.resize(bytes.size() + 20, 0);
  std::vector<FlowRecord> out;
  EXPECT_EQ(decode_netflow_v5(datagram_of(bytes), out), DecodeError::kNone);
  EXPECT_EQ(out.size(), 2u);
}

TEST(NetflowV5, AppendsAfterExistingRecords) {
  std::vector<FlowRecord> out(1);
  ASSERT_EQ(decode_netflow_v5(datagram_of(test::hex(test::kV5TwoRecords)), out), DecodeError::kNone);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].src_port, 40000);
}

}  // namespace
}  // namespace flowd
