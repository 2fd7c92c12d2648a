// Captures that cannot be read whole: each says why, and a frame's time that
// the clock cannot hold saturates instead of overflowing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "decode/hex.h"
#include "onefirewall_flowd/capture/capture_reader.h"

namespace flowd {
namespace {

using test::hex;

constexpr uint32_t kLinkTypeRaw = 101;

// Raw IPv4 + UDP 40000 -> 2055 from 192.0.2.1, carrying 4 bytes.
std::vector<uint8_t> udp_frame() {
  return hex("4500 0020 0000 0000 4011 0000 c0000201 c0000202  9c40 0807 000c 0000  0005 0000");
}

// Little-endian file bytes, written the way libpcap reads them.
struct FileBytes {
  std::vector<uint8_t> bytes;

  void u16(uint16_t v) { append(v, 2); }
  void u32(uint32_t v) { append(v, 4); }
  void u64(uint64_t v) { append(v, 8); }
  void append(uint64_t v, int width) {
    for (int i = 0; i < width; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void add(const std::vector<uint8_t>& more) { bytes.insert(bytes.end(), more.begin(), more.end()); }

  std::filesystem::path write(const std::string& name) const {
    const auto path = std::filesystem::temp_directory_path() / ("flowd_capture_errors_" + name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (uint8_t b : bytes) out.put(static_cast<char>(b));
    return path;
  }
};

FileBytes pcap_header(uint32_t link_type) {
  FileBytes file;
  file.u32(0xa1b2c3d4);
  file.u32(0x00040002);  // version 2.4
  file.u64(0);           // time zone, accuracy
  file.u32(65535);       // snap length
  file.u32(link_type);
  return file;
}

void add_record(FileBytes& file, const std::vector<uint8_t>& frame, uint32_t caplen) {
  file.u32(1'700'000'000);
  file.u32(0);
  file.u32(caplen);
  file.u32(static_cast<uint32_t>(frame.size()));
  file.add(frame);
}

// A pcapng section with one raw-IP interface (microsecond stamps) and one
// enhanced packet block stamped `units` microseconds after 1970.
FileBytes pcapng_with_stamp(uint64_t units, const std::vector<uint8_t>& frame) {
  FileBytes file;
  file.u32(0x0a0d0d0a);  // section header block
  file.u32(28);
  file.u32(0x1a2b3c4d);
  file.u16(1);
  file.u16(0);
  file.u64(~uint64_t{0});  // section length unknown
  file.u32(28);
  file.u32(1);  // interface description block
  file.u32(20);
  file.u16(kLinkTypeRaw);
  file.u16(0);
  file.u32(65535);
  file.u32(20);
  const auto padded = static_cast<uint32_t>((frame.size() + 3) / 4 * 4);
  file.u32(6);  // enhanced packet block
  file.u32(32 + padded);
  file.u32(0);  // interface 0
  file.u32(static_cast<uint32_t>(units >> 32));
  file.u32(static_cast<uint32_t>(units));
  file.u32(static_cast<uint32_t>(frame.size()));
  file.u32(static_cast<uint32_t>(frame.size()));
  file.add(frame);
  file.bytes.resize(file.bytes.size() + (padded - frame.size()), 0);
  file.u32(32 + padded);
  return file;
}

TEST(CaptureErrors, TruncatedCaptureKeepsTheFramesBeforeAndSaysWhere) {
  FileBytes file = pcap_header(kLinkTypeRaw);
  add_record(file, udp_frame(), 32);
  add_record(file, udp_frame(), 32);
  add_record(file, udp_frame(), 32);
  file.bytes.resize(file.bytes.size() - 10);  // the last frame cut short
  const CaptureResult result = read_capture(file.write("truncated.pcap"), IpAddress{});
  EXPECT_EQ(result.datagrams.size(), 2u);
  EXPECT_TRUE(result.error.empty());
  EXPECT_TRUE(result.read_error.starts_with("read error after 2 frames: truncated dump file"))
      << result.read_error;
}

TEST(CaptureErrors, ImpossibleCaptureLengthIsAReadError) {
  FileBytes file = pcap_header(kLinkTypeRaw);
  add_record(file, udp_frame(), 0xffffffff);
  const CaptureResult result = read_capture(file.write("caplen.pcap"), IpAddress{});
  EXPECT_TRUE(result.datagrams.empty());
  EXPECT_TRUE(
      result.read_error.starts_with("read error after 0 frames: invalid packet capture length 4294967295"))
      << result.read_error;
}

TEST(CaptureErrors, UnknownLinkTypeIsNamedAndNothingIsRead) {
  FileBytes file = pcap_header(105);  // LINKTYPE_IEEE802_11
  add_record(file, udp_frame(), 32);
  const CaptureResult result = read_capture(file.write("wifi.pcap"), IpAddress{});
  EXPECT_TRUE(result.datagrams.empty());
  EXPECT_EQ(result.error,
            "link type 105 (IEEE802_11) is not supported (Ethernet, Linux SLL/SLL2, raw IP or BSD loopback)");
}

TEST(CaptureErrors, WholeCaptureHasNoError) {
  FileBytes file = pcap_header(kLinkTypeRaw);
  add_record(file, udp_frame(), 32);
  const CaptureResult result = read_capture(file.write("whole.pcap"), IpAddress{});
  EXPECT_EQ(result.datagrams.size(), 1u);
  EXPECT_TRUE(result.error.empty());
  EXPECT_TRUE(result.read_error.empty());
}

TEST(CaptureTime, StampBeyondTheClockSaturates) {
  const CaptureResult result =
      read_capture(pcapng_with_stamp(~uint64_t{0}, udp_frame()).write("far.pcapng"), {});
  ASSERT_EQ(result.datagrams.size(), 1u) << result.error << result.read_error;
  EXPECT_EQ(result.datagrams[0].time, std::chrono::system_clock::time_point::max());
}

TEST(CaptureTime, StampWithinTheClockIsExact) {
  const uint64_t micros = 4'102'444'800'000'123;  // 2100-01-01, 123 µs
  const CaptureResult result = read_capture(pcapng_with_stamp(micros, udp_frame()).write("near.pcapng"), {});
  ASSERT_EQ(result.datagrams.size(), 1u) << result.error << result.read_error;
  EXPECT_EQ(result.datagrams[0].time,
            std::chrono::system_clock::time_point{std::chrono::microseconds{4'102'444'800'000'123}});
}

}  // namespace
}  // namespace flowd
