#include "onefirewall_flowd/capture/capture_reader.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>

#include "frame_parser.h"

namespace flowd {
namespace {

using PcapHandle = std::unique_ptr<pcap_t, decltype(&pcap_close)>;

// The frame's time, saturated to what the clock holds: a pcapng stamp may be
// 2^64 microseconds, far past the ~292 years of nanoseconds around 1970.
std::chrono::system_clock::time_point time_of(const pcap_pkthdr& header) {
  using Clock = std::chrono::system_clock;
  constexpr int64_t kMicrosPerSecond = 1'000'000;
  constexpr int64_t kLatest =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::duration::max()).count();
  const int64_t seconds = header.ts.tv_sec;
  const int64_t micros = std::clamp<int64_t>(header.ts.tv_usec, 0, UINT32_MAX);  // a u32 in any file
  if (seconds > (kLatest - micros) / kMicrosPerSecond) return Clock::time_point::max();
  if (seconds < -(kLatest / kMicrosPerSecond)) return Clock::time_point::min();
  const std::chrono::microseconds since_epoch{seconds * kMicrosPerSecond + micros};
  return Clock::time_point{std::chrono::duration_cast<Clock::duration>(since_epoch)};
}

std::string unsupported_link_type(int link_type) {
  const char* name = pcap_datalink_val_to_name(link_type);
  return "link type " + std::to_string(link_type) + (name ? std::string(" (") + name + ")" : "") +
         " is not supported (Ethernet, Linux SLL/SLL2, raw IP or BSD loopback)";
}

void read_frames(pcap_t* pcap, CaptureResult& result) {
  const int link_type = pcap_datalink(pcap);
  if (!capture::supports_link_type(link_type)) {
    result.error = unsupported_link_type(link_type);
    return;
  }
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  size_t frames = 0;
  int status = 0;
  while ((status = pcap_next_ex(pcap, &header, &data)) == 1) {
    ++frames;
    const auto udp = capture::parse_frame(link_type, {data, header->caplen});
    if (!udp) {
      ++result.frames_skipped;
      continue;
    }
    result.datagrams.push_back({udp->source,
                                udp->source_port,
                                udp->destination_port,
                                {udp->payload.begin(), udp->payload.end()},
                                time_of(*header)});
  }
  if (status == PCAP_ERROR) {
    result.read_error = "read error after " + std::to_string(frames) + " frames: " + pcap_geterr(pcap);
  }
}

void read_raw(const std::filesystem::path& path, const IpAddress& exporter, CaptureResult& result) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = "cannot open " + path.string();
    return;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& payload : split_raw_payloads(bytes)) {
    result.datagrams.push_back({exporter, 0, 0, std::move(payload), {}});
  }
}

}  // namespace

CaptureResult read_capture(const std::filesystem::path& path, const IpAddress& raw_exporter) {
  CaptureResult result;
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  // Stamps in microseconds whatever the file stores; libpcap converts.
  PcapHandle pcap(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, error.data()),
      &pcap_close);
  if (pcap) {
    read_frames(pcap.get(), result);
  } else {
    read_raw(path, raw_exporter, result);
  }
  return result;
}

}  // namespace flowd
