#include "onefirewall_flowd/capture/capture_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "decode/v9_vectors.h"

namespace flowd {
namespace {

using test::hex;

// A classic pcap file of the given link type holding the given frames.
std::filesystem::path write_pcap(const std::string& name, uint32_t link_type,
                                 const std::vector<std::vector<uint8_t>>& frames) {
  auto path = std::filesystem::temp_directory_path() / ("flowd_capture_test_" + name + ".pcap");
  std::ofstream out(path, std::ios::binary);
  auto le32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.put(static_cast<char>(v >> (8 * i)));
  };
  le32(0xa1b2c3d4);
  le32(0x00040002);  // version 2.4
  le32(0);
  le32(0);
  le32(65535);
  le32(link_type);
  for (const auto& frame : frames) {
    le32(1'700'000'000);
    le32(0);
    le32(static_cast<uint32_t>(frame.size()));
    le32(static_cast<uint32_t>(frame.size()));
    for (uint8_t b : frame) out.put(static_cast<char>(b));
  }
  return path;
}

std::vector<uint8_t> concat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A UDP payload whose content does not matter here.
std::vector<uint8_t> payload() {
  return hex("0005 0000");
}

// IPv4 header (no options) + UDP 40000 -> 2055 carrying payload().
constexpr std::string_view kIpv4Udp = R"(
  4500 0020 0000 0000 4011 0000
  c0000201 c0000202        # 192.0.2.1 -> 192.0.2.2
  9c40 0807 000c 0000      # UDP 40000 -> 2055, length 12
)";

TEST(CaptureReader, ReadsUdpOverIpv4BehindEthernetAndVlan) {
  const auto frame =
      concat(hex("000000000001 000000000002 8100 0064 0800" + std::string(kIpv4Udp)), payload());
  const auto result = read_capture(write_pcap("vlan", 1, {frame}), IpAddress{});
  ASSERT_TRUE(result.error.empty());
  ASSERT_EQ(result.datagrams.size(), 1u);
  const CapturedDatagram& d = result.datagrams[0];
  EXPECT_EQ(d.exporter.to_string(), "192.0.2.1");
  EXPECT_EQ(d.source_port, 40000);
  EXPECT_EQ(d.destination_port, 2055);
  EXPECT_EQ(d.payload, payload());
  EXPECT_EQ(d.time, std::chrono::system_clock::time_point{std::chrono::seconds(1'700'000'000)});
}

TEST(CaptureReader, ReadsUdpOverIpv6BehindLinuxCookedHeader) {
  const auto frame = concat(hex(R"(
    0000 0001 0006 000000000000 0000 86dd     # SLL header, protocol IPv6
    6000 0000 000c 11 40                      # IPv6, payload 12, next header UDP
    fd250000000000000000000000000101          # source fd25::101
    fd250000000000000000000000000001
    c350 270f 000c 0000                       # UDP 50000 -> 9999
  )"),
                            payload());
  const auto result = read_capture(write_pcap("sll", 113, {frame}), IpAddress{});
  ASSERT_EQ(result.datagrams.size(), 1u);
  EXPECT_EQ(result.datagrams[0].exporter.to_string(), "fd25::101");
  EXPECT_EQ(result.datagrams[0].destination_port, 9999);
  EXPECT_EQ(result.datagrams[0].payload, payload());
}

TEST(CaptureReader, SkipsTcpAndFragments) {
  const auto tcp =
      hex("000000000001 000000000002 0800 4500 0028 0000 0000 4006 0000 c0000201 c0000202"
          "00b3 00b3 00000000 00000000 5000 0000 0000 0000");
  const auto fragment = concat(hex("000000000001 000000000002 0800 4500 0020 0000 2000 4011 0000"
                                   "c0000201 c0000202 9c40 0807 000c 0000"),
                               payload());  // more-fragments set
  const auto raw_ip = concat(hex(kIpv4Udp), payload());
  const auto result = read_capture(write_pcap("mixed", 1, {tcp, fragment}), IpAddress{});
  EXPECT_TRUE(result.datagrams.empty());
  EXPECT_EQ(result.frames_skipped, 2u);
  EXPECT_EQ(read_capture(write_pcap("raw", 101, {raw_ip}), IpAddress{}).datagrams.size(), 1u);
}

TEST(CaptureReader, UdpLengthBeyondTheFrameIsCutToTheCapture) {
  auto frame = concat(hex(kIpv4Udp), payload());
  frame[25] = 0xff;  // UDP length 255 in a 16-byte datagram
  const auto result = read_capture(write_pcap("short", 101, {frame}), IpAddress{});
  ASSERT_EQ(result.datagrams.size(), 1u);
  EXPECT_EQ(result.datagrams[0].payload, payload());
}

TEST(CaptureReader, ReadsARawFileWithTheStandInExporter) {
  const auto path = std::filesystem::temp_directory_path() / "flowd_capture_test_raw.dat";
  const auto v5 = hex(test::kV5TwoRecords);
  {
    std::ofstream out(path, std::ios::binary);
    for (uint8_t b : v5) out.put(static_cast<char>(b));
  }
  const auto result = read_capture(path, *IpAddress::parse("198.51.100.7"));
  ASSERT_EQ(result.datagrams.size(), 1u);
  EXPECT_EQ(result.datagrams[0].exporter.to_string(), "198.51.100.7");
  EXPECT_EQ(result.datagrams[0].payload, v5);
  EXPECT_FALSE(read_capture("/nonexistent/flowd.pcap", IpAddress{}).error.empty());
}

TEST(CaptureReader, HandsOverEachDatagramWithTheBytesReadSoFar) {
  const auto frame = concat(hex("000000000001 000000000002 0800" + std::string(kIpv4Udp)), payload());
  const auto path = write_pcap("progress", 1, {frame, frame, frame});
  std::vector<CaptureProgress> seen;
  const auto result =
      for_each_datagram(path, IpAddress{}, [&](const CapturedDatagram& d, const CaptureProgress& at) {
        EXPECT_EQ(d.payload, payload());
        seen.push_back(at);
      });
  EXPECT_TRUE(result.error.empty() && result.read_error.empty());
  EXPECT_TRUE(result.datagrams.empty());
  const uint64_t size = std::filesystem::file_size(path);
  ASSERT_EQ(seen.size(), 3u);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].bytes_read, 24 + (i + 1) * (16 + frame.size())) << i;  // file header, then each record
    EXPECT_EQ(seen[i].bytes_total, size) << i;
  }
}

TEST(CaptureReader, RawFileProgressEndsAtItsSize) {
  const auto path = std::filesystem::temp_directory_path() / "flowd_capture_test_raw_progress.dat";
  const auto v5 = hex(test::kV5TwoRecords);
  {
    std::ofstream out(path, std::ios::binary);
    for (int copy = 0; copy < 2; ++copy)
      for (uint8_t b : v5) out.put(static_cast<char>(b));
  }
  std::vector<CaptureProgress> seen;
  for_each_datagram(path, IpAddress{},
                    [&](const CapturedDatagram&, const CaptureProgress& at) { seen.push_back(at); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].bytes_read, v5.size());
  EXPECT_EQ(seen[1].bytes_read, 2 * v5.size());
  EXPECT_EQ(seen[1].bytes_total, 2 * v5.size());
}

TEST(SplitRawPayloads, SplitsEachVersionByItsOwnRule) {
  EXPECT_TRUE(split_raw_payloads({}).empty());
  const auto v5 = hex(test::kV5TwoRecords);
  EXPECT_EQ(split_raw_payloads(concat(v5, v5)).size(), 2u);
  const auto ipfix = hex("000a 0014 00000000 00000000 00000000 0100 0004");
  EXPECT_EQ(split_raw_payloads(concat(ipfix, ipfix)).size(), 2u);
  const auto v9 = hex(test::kV9TemplateAndData);
  const auto parts = split_raw_payloads(concat(v9, v9));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], v9);
}

TEST(SplitRawPayloads, HandsAnUndelimitedTailOverWhole) {
  const auto v5 = hex(test::kV5TwoRecords);
  const auto parts = split_raw_payloads(concat(v5, hex("0005 00ff 0000")));  // count 255, 6 bytes
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].size(), 6u);
  EXPECT_EQ(split_raw_payloads(hex("1234 5678 9a")).size(), 1u);
}

}  // namespace
}  // namespace flowd
