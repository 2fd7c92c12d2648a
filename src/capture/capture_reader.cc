#include "onefirewall_flowd/capture/capture_reader.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
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

// Where libpcap's stream stands in the file; 0 when it cannot say.
uint64_t position_of(pcap_t* pcap) {
  FILE* file = pcap_file(pcap);
  const long position = file == nullptr ? -1 : std::ftell(file);
  return position < 0 ? 0 : static_cast<uint64_t>(position);
}

void read_frames(pcap_t* pcap, CaptureProgress progress, const DatagramVisitor& visit,
                 CaptureResult& result) {
  const int link_type = pcap_datalink(pcap);
  if (!capture::supports_link_type(link_type)) {
    result.error = unsupported_link_type(link_type);
    return;
  }
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  size_t frames = 0;
  int status = 0;
  CapturedDatagram current;
  while ((status = pcap_next_ex(pcap, &header, &data)) == 1) {
    ++frames;
    const auto udp = capture::parse_frame(link_type, {data, header->caplen});
    if (!udp) {
      ++result.frames_skipped;
      continue;
    }
    current.exporter = udp->source;
    current.source_port = udp->source_port;
    current.destination_port = udp->destination_port;
    current.payload.assign(udp->payload.begin(), udp->payload.end());
    current.time = time_of(*header);
    progress.bytes_read = position_of(pcap);
    visit(current, progress);
  }
  if (status == PCAP_ERROR) {
    result.read_error = "read error after " + std::to_string(frames) + " frames: " + pcap_geterr(pcap);
  }
}

void read_raw(const std::filesystem::path& path, const IpAddress& exporter, CaptureProgress progress,
              const DatagramVisitor& visit, CaptureResult& result) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = "cannot open " + path.string();
    return;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  progress.bytes_total = bytes.size();
  CapturedDatagram current{exporter, 0, 0, {}, {}};
  for (auto& payload : split_raw_payloads(bytes)) {
    progress.bytes_read += payload.size();
    current.payload = std::move(payload);
    visit(current, progress);
  }
}

}  // namespace

CaptureResult for_each_datagram(const std::filesystem::path& path, const IpAddress& raw_exporter,
                                const DatagramVisitor& visit) {
  CaptureResult result;
  std::error_code ignored;
  const uintmax_t size = std::filesystem::file_size(path, ignored);
  const CaptureProgress start{0, size == static_cast<uintmax_t>(-1) ? 0 : size};
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  // Stamps in microseconds whatever the file stores; libpcap converts.
  PcapHandle pcap(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, error.data()),
      &pcap_close);
  if (pcap) {
    read_frames(pcap.get(), start, visit, result);
  } else {
    read_raw(path, raw_exporter, start, visit, result);
  }
  return result;
}

CaptureResult read_capture(const std::filesystem::path& path, const IpAddress& raw_exporter) {
  std::vector<CapturedDatagram> datagrams;
  CaptureResult result = for_each_datagram(
      path, raw_exporter,
      [&datagrams](const CapturedDatagram& d, const CaptureProgress&) { datagrams.push_back(d); });
  result.datagrams = std::move(datagrams);
  return result;
}

}  // namespace flowd
