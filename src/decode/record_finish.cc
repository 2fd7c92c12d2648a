#include <algorithm>

#include "onefirewall_flowd/decode/frame_section.h"
#include "onefirewall_flowd/decode/record_fields.h"

namespace flowd {
namespace {

// v9 uptime stamps go through the header clock; the signed difference keeps
// this right across the 49-day uptime wrap.
int64_t v9_uptime_to_epoch_ms(const MessageContext& context, uint32_t stamp) {
  return context.export_ms - static_cast<int32_t>(context.sys_uptime_ms - stamp);
}

[[gnu::always_inline]] inline std::optional<int64_t> uptime_to_epoch_ms(const MessageContext& context,
                                                                        const RecordFields& f,
                                                                        const DomainState& domain,
                                                                        std::optional<uint32_t> stamp) {
  if (!stamp) return std::nullopt;
  if (context.dialect == Dialect::kNetflowV9) return v9_uptime_to_epoch_ms(context, *stamp);
  const std::optional<int64_t> init = f.system_init_ms ? f.system_init_ms : domain.system_init_ms;
  if (!init) return std::nullopt;
  return *init + *stamp;
}

[[gnu::always_inline]] inline void finish_times(RecordFields& f, const MessageContext& context,
                                                const DomainState& domain) {
  // Absolute stamps win, then uptime stamps, then the NSEL event time, then
  // the export time, so that no record carries a time of zero.
  const int64_t fallback = f.observation_ms.value_or(context.export_ms);
  const auto first = uptime_to_epoch_ms(context, f, domain, f.first_uptime_ms);
  const auto last = uptime_to_epoch_ms(context, f, domain, f.last_uptime_ms);
  f.flow.end_ms = f.end_ms.value_or(last.value_or(fallback));
  f.flow.start_ms = f.start_ms.value_or(first.value_or(f.flow.end_ms));
}

[[gnu::always_inline]] inline uint32_t sampling_of(const RecordFields& f, const Template& t,
                                                   const DomainState& domain) {
  if (!t.announces_sampling) return domain.sampling.domain_interval;
  if (f.sampler_id) {
    const auto it = domain.sampling.by_sampler.find(*f.sampler_id);
    if (it != domain.sampling.by_sampler.end()) return it->second;
  }
  if (const auto own = announced_interval(f)) return *own;
  return domain.sampling.domain_interval;
}

}  // namespace

std::optional<uint32_t> announced_interval(const RecordFields& f) {
  if (f.sampling_interval && *f.sampling_interval > 0) return f.sampling_interval;
  // Random n-out-of-N (RFC 5477): size packets out of every population.
  if (f.sampling_size && f.sampling_population && *f.sampling_size > 0) {
    return std::max<uint32_t>(*f.sampling_population / *f.sampling_size, 1);
  }
  // Count-based systematic sampling: interval packets taken out of every interval + space.
  if (f.packet_interval && f.packet_space && *f.packet_interval > 0) {
    const uint64_t period = uint64_t{*f.packet_interval} + *f.packet_space;
    return static_cast<uint32_t>(std::min<uint64_t>(period / *f.packet_interval, UINT32_MAX));
  }
  return std::nullopt;
}

namespace {

// A sampled packet's frame fills in the key its record does not carry itself.
void apply_frame_section(std::span<const uint8_t> frame, FlowRecord& flow) {
  const std::optional<FrameKey> key = read_frame_section(frame);
  if (!key) return;
  if (flow.src_addr == IpAddress{}) flow.src_addr = key->src_addr;
  if (flow.dst_addr == IpAddress{}) flow.dst_addr = key->dst_addr;
  if (flow.protocol == 0) flow.protocol = key->protocol;
  if (flow.src_port == 0 && flow.dst_port == 0 && flow.protocol == key->protocol) {
    flow.src_port = key->src_port;
    flow.dst_port = key->dst_port;
  }
  if (flow.tcp_flags == 0 && flow.protocol == key->protocol) flow.tcp_flags = key->tcp_flags;
}

}  // namespace

void finish_flow(RecordFields& f, const Template& t, const MessageContext& context,
                 const DomainState& domain) {
  if (!f.frame_section.empty()) apply_frame_section(f.frame_section, f.flow);
  f.flow.exporter = context.exporter;
  f.flow.domain = context.domain;
  f.flow.version = context.dialect == Dialect::kNetflowV9 ? 9 : 10;
  f.flow.octets = f.octets.value;
  f.flow.packets = f.packets.value;
  f.flow.reverse_octets = f.reverse_octets.value;
  f.flow.reverse_packets = f.reverse_packets.value;
  finish_times(f, context, domain);
  const uint32_t interval = sampling_of(f, t, domain);
  f.flow.sampling_interval = interval == 0 ? 1 : interval;
}

}  // namespace flowd
