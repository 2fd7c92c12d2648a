// NetFlow v9 and IPFIX: one template (id 256) of the same twelve fields, sent with an
// exporter's first datagram and every kTemplateEvery datagrams after.
#include <array>

#include "byte_writer.h"
#include "encoders.h"

namespace flowd::load {
namespace {

struct Field {
  uint16_t id;
  uint16_t length;
};

constexpr uint16_t kTemplateId = 256;

// IN_BYTES and IN_PKTS 4 bytes, interfaces 2, FIRST/LAST_SWITCHED in sysUpTime ms.
constexpr std::array<Field, 12> kV9Fields = {
    {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {10, 2}, {14, 2}, {1, 4}, {2, 4}, {22, 4}, {21, 4}}};

// Full-size IPFIX types; flowStart/EndMilliseconds (152, 153) are absolute epoch ms.
constexpr std::array<Field, 12> kIpfixFields = {
    {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {10, 4}, {14, 4}, {1, 8}, {2, 8}, {152, 8}, {153, 8}}};

constexpr size_t kV9Records = 30;     // 20 + 56 + 4 + 30 * 34 = 1100 bytes
constexpr size_t kIpfixRecords = 24;  // 16 + 52 + 4 + 24 * 54 = 1368 bytes

void write_template_set(ByteWriter& w, uint16_t set_id, std::span<const Field> fields) {
  w.u16(set_id);
  w.u16(static_cast<uint16_t>(8 + 4 * fields.size()));
  w.u16(kTemplateId);
  w.u16(static_cast<uint16_t>(fields.size()));
  for (const Field& f : fields) {
    w.u16(f.id);
    w.u16(f.length);
  }
}

bool template_due(const ExporterState& exporter) {
  return exporter.datagrams % kTemplateEvery == 0;
}

// The fields both templates start with: addresses, ports, protocol, TCP flags.
void write_flow_key(ByteWriter& w, const Flow& f) {
  w.u32(f.src_addr);
  w.u32(f.dst_addr);
  w.u16(f.src_port);
  w.u16(f.dst_port);
  w.u8(f.protocol);
  w.u8(f.protocol == 6 ? 0x1b : 0);
}

class V9Encoder final : public Encoder {
 public:
  size_t flows_per_datagram() const override { return kV9Records; }

  size_t encode(ExporterState& exporter, ConversationSource& source, const ExportClock& clock,
                std::span<uint8_t> out) override {
    ByteWriter w(out);
    const bool with_template = template_due(exporter);
    w.u16(9);
    w.u16(static_cast<uint16_t>(kV9Records + (with_template ? 1 : 0)));  // template + data records
    w.u32(clock.uptime_ms);
    w.u32(static_cast<uint32_t>(clock.unix_ms / 1000));
    w.u32(static_cast<uint32_t>(exporter.datagrams));  // package sequence
    w.u32(exporter.domain);
    if (with_template) write_template_set(w, 0, kV9Fields);
    w.u16(kTemplateId);
    const size_t length_at = w.size();
    w.u16(0);
    for (size_t i = 0; i < kV9Records; ++i) write_record(w, source.next(), clock);
    while ((w.size() - length_at + 2) % 4 != 0) w.u8(0);
    w.patch_u16(length_at, static_cast<uint16_t>(w.size() - length_at + 2));
    exporter.flows += kV9Records;
    ++exporter.datagrams;
    return w.size();
  }

 private:
  static void write_record(ByteWriter& w, const Flow& f, const ExportClock& clock) {
    write_flow_key(w, f);
    w.u16(f.input_if);
    w.u16(f.output_if);
    w.u32(f.bytes);
    w.u32(f.packets);
    w.u32(clock.uptime_ms - f.duration_ms);  // FIRST_SWITCHED (22)
    w.u32(clock.uptime_ms);                  // LAST_SWITCHED (21)
  }
};

class IpfixEncoder final : public Encoder {
 public:
  size_t flows_per_datagram() const override { return kIpfixRecords; }

  size_t encode(ExporterState& exporter, ConversationSource& source, const ExportClock& clock,
                std::span<uint8_t> out) override {
    ByteWriter w(out);
    w.u16(10);
    w.u16(0);  // message length, patched at the end
    w.u32(static_cast<uint32_t>(clock.unix_ms / 1000));
    w.u32(static_cast<uint32_t>(exporter.flows));  // data records sent before this message
    w.u32(exporter.domain);
    if (template_due(exporter)) write_template_set(w, 2, kIpfixFields);
    const size_t set_at = w.size();
    w.u16(kTemplateId);
    w.u16(static_cast<uint16_t>(4 + kIpfixRecords * 54));
    for (size_t i = 0; i < kIpfixRecords; ++i) write_record(w, source.next(), clock);
    w.patch_u16(set_at + 2, static_cast<uint16_t>(w.size() - set_at));
    w.patch_u16(2, static_cast<uint16_t>(w.size()));
    exporter.flows += kIpfixRecords;
    ++exporter.datagrams;
    return w.size();
  }

 private:
  static void write_record(ByteWriter& w, const Flow& f, const ExportClock& clock) {
    write_flow_key(w, f);
    w.u32(f.input_if);
    w.u32(f.output_if);
    w.u64(f.bytes);
    w.u64(f.packets);
    w.u64(clock.unix_ms - f.duration_ms);
    w.u64(clock.unix_ms);
  }
};

}  // namespace

std::unique_ptr<Encoder> make_v5_encoder();

std::unique_ptr<Encoder> make_encoder(Protocol protocol) {
  switch (protocol) {
    case Protocol::kV5: return make_v5_encoder();
    case Protocol::kV9: return std::make_unique<V9Encoder>();
    case Protocol::kIpfix: return std::make_unique<IpfixEncoder>();
  }
  return nullptr;
}

std::string_view to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::kV5: return "v5";
    case Protocol::kV9: return "v9";
    case Protocol::kIpfix: return "ipfix";
  }
  return "?";
}

}  // namespace flowd::load
