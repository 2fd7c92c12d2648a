#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/field_kind.h"
#include "onefirewall_flowd/decode/message_context.h"
#include "onefirewall_flowd/decode/template.h"
#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

// A count that several IEs may carry; the best-ranked one present wins.
struct RankedCount {
  uint64_t value = 0;
  int rank = 0;  // 0: absent
  void offer(uint64_t v, int r) {
    if (r > rank) {
      value = v;
      rank = r;
    }
  }
};

// Values gathered while reading one data record, before they become a
// FlowRecord (times and sampling need the whole record and the header).
// The flow is written in place, in the output vector: copying a record
// just written field by field stalls on store forwarding.
struct RecordFields {
  explicit RecordFields(FlowRecord& into) : flow(into) {}

  FlowRecord& flow;
  RankedCount octets, packets, reverse_octets, reverse_packets;
  std::optional<uint32_t> first_uptime_ms, last_uptime_ms;     // IEs 22, 21
  std::optional<int64_t> start_ms, end_ms;                     // IEs 150-157
  std::optional<int64_t> observation_ms;                       // IE 323 (NSEL event time)
  std::optional<int64_t> system_init_ms;                       // IE 160
  std::optional<uint64_t> sampler_id;                          // IEs 48, 302
  std::optional<uint32_t> sampling_interval;                   // IEs 34, 50
  std::optional<uint32_t> packet_interval, packet_space;       // IEs 305, 306
  std::optional<uint32_t> sampling_size, sampling_population;  // IEs 309, 310
  std::span<const uint8_t> frame_section;                      // IE 315, a view of the datagram
  // Empty values are never applied, so an empty view means the field is absent.
  std::span<const uint8_t> interface_name;         // IE 82, options data only
  std::span<const uint8_t> interface_description;  // IE 83, likewise
  std::span<const uint8_t> vrf_name;               // IE 236, likewise
};

// Reads one data record of template t into fields; false when it overruns r.
[[nodiscard]] bool read_record(ByteReader& r, const Template& t, RecordFields& fields);

// Decodes one field's value into fields; ignored kinds and values of an
// unexpected width leave them unchanged.
void apply_field(FieldKind kind, std::span<const uint8_t> value, RecordFields& fields);

// The sampling interval the record itself announces, if any.
[[nodiscard]] std::optional<uint32_t> announced_interval(const RecordFields& fields);

// Completes fields.flow, a record of template t: counters, times and sampling.
void finish_flow(RecordFields& fields, const Template& t, const MessageContext& context,
                 const DomainState& domain);

}  // namespace flowd
