#pragma once

#include <cstdint>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// A decoded flow, independent of the protocol that carried it.
struct FlowRecord {
  IpAddress exporter;
  uint32_t domain = 0;  // v5 engine type/id, v9 source_id, IPFIX observation domain
  uint16_t version = 0;

  IpAddress src_addr;
  IpAddress dst_addr;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t protocol = 0;
  uint8_t tcp_flags = 0;
  uint8_t tos = 0;

  uint32_t input_interface = 0;
  uint32_t output_interface = 0;

  // Forward counters: delta, else total, else the NSEL initiator counters.
  uint64_t octets = 0;
  uint64_t packets = 0;
  // Reverse counters: RFC 5103 reverse IEs (PEN 29305), else NSEL responder counters.
  uint64_t reverse_octets = 0;
  uint64_t reverse_packets = 0;

  // IEs 234/235 (v9 fields too): the VRFs the packets came in on and left by; 0 when not exported.
  uint32_t ingress_vrf = 0;
  uint32_t egress_vrf = 0;

  int64_t start_ms = 0;  // Unix epoch milliseconds
  int64_t end_ms = 0;

  // Firewall verdict fields, present only when the exporter sends them.
  bool has_firewall_event = false;
  uint8_t firewall_event = 0;  // NSEL: IPFIX IE 233 / v9 field 40005
  bool has_extended_event = false;
  uint16_t extended_event = 0;  // NSEL: v9 field 33002
  bool has_forwarding_status = false;
  uint8_t forwarding_status = 0;  // IE 89, status in the top two bits

  bool has_flow_direction = false;
  uint8_t flow_direction = 0;  // IE 61: 0 ingress, 1 egress
  bool has_biflow_direction = false;
  uint8_t biflow_direction = 0;  // IE 239: 0 arbitrary, 1 initiator, 2 reverse initiator, 3 perimeter

  uint32_t sampling_interval = 1;  // last, where it fills what would be padding
};

}  // namespace flowd
