#include "onefirewall_flowd/capture/capture_reader.h"

#include <pcap/pcap.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "frame_parser.h"

namespace flowd {
namespace {

using PcapHandle = std::unique_ptr<pcap_t, decltype(&pcap_close)>;

std::chrono::system_clock::time_point time_of(const pcap_pkthdr& header) {
  return std::chrono::system_clock::time_point{std::chrono::seconds(header.ts.tv_sec) +
                                               std::chrono::microseconds(header.ts.tv_usec)};
}

void read_frames(pcap_t* pcap, CaptureResult& result) {
  const int link_type = pcap_datalink(pcap);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(pcap, &header, &data) == 1) {
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
