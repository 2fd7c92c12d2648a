#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// One UDP payload read from a capture, owning its bytes.
struct CapturedDatagram {
  IpAddress exporter;  // IP source address; for raw files the caller's stand-in
  uint16_t source_port = 0;
  uint16_t destination_port = 0;
  std::vector<uint8_t> payload;
  std::chrono::system_clock::time_point time;

  // A view for the decoder, valid while this object lives.
  [[nodiscard]] Datagram datagram() const { return {exporter, source_port, payload, time}; }
};

struct CaptureResult {
  std::vector<CapturedDatagram> datagrams;  // empty from for_each_datagram
  size_t frames_skipped = 0;                // not unfragmented UDP over IPv4 or IPv6
  std::string error;                        // set when the file could not be read at all
  std::string read_error;  // set when reading stopped early; the datagrams before it are kept
};

// Reads every UDP datagram of a pcap or pcapng file (Ethernet with VLAN tags,
// Linux cooked SLL/SLL2, raw IP or BSD loopback; UDP over IPv4 or IPv6, any
// port). A file libpcap does not recognise is read as raw export payloads:
// NetFlow v5 split by its count, IPFIX by its message length, v9 by walking
// its FlowSets; raw_exporter stands in for the source address.
[[nodiscard]] CaptureResult read_capture(const std::filesystem::path& path, const IpAddress& raw_exporter);

// How far reading a capture file has come.
struct CaptureProgress {
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;  // the file's size
};

using DatagramVisitor = std::function<void(const CapturedDatagram&, const CaptureProgress&)>;

// As read_capture, but hands each datagram to `visit` as it is read and keeps
// none, so memory stays bounded whatever the capture's size. The datagram
// passed is valid only during the call.
CaptureResult for_each_datagram(const std::filesystem::path& path, const IpAddress& raw_exporter,
                                const DatagramVisitor& visit);

// Splits concatenated raw export payloads as described above.
[[nodiscard]] std::vector<std::vector<uint8_t>> split_raw_payloads(const std::vector<uint8_t>& bytes);

}  // namespace flowd
