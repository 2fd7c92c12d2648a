#include "byte_writer.h"
#include "encoders.h"

namespace flowd::load {
namespace {

constexpr size_t kV5Records = 30;

class V5Encoder final : public Encoder {
 public:
  size_t flows_per_datagram() const override { return kV5Records; }

  size_t encode(ExporterState& exporter, ConversationSource& source, const ExportClock& clock,
                std::span<uint8_t> out) override {
    ByteWriter w(out);
    write_header(w, exporter, clock);
    for (size_t i = 0; i < kV5Records; ++i) write_record(w, source.next(), clock);
    exporter.flows += kV5Records;
    ++exporter.datagrams;
    return w.size();
  }

 private:
  static void write_header(ByteWriter& w, const ExporterState& exporter, const ExportClock& clock) {
    w.u16(5);
    w.u16(kV5Records);
    w.u32(clock.uptime_ms);
    w.u32(static_cast<uint32_t>(clock.unix_ms / 1000));
    w.u32(static_cast<uint32_t>(clock.unix_ms % 1000 * 1000000));
    w.u32(static_cast<uint32_t>(exporter.flows));  // flow_sequence: flows sent before this datagram
    w.u8(0);                                        // engine_type
    w.u8(0);                                        // engine_id
    w.u16(0);                                       // sampling: none
  }

  static void write_record(ByteWriter& w, const Flow& f, const ExportClock& clock) {
    w.u32(f.src_addr);
    w.u32(f.dst_addr);
    w.u32(0);  // next hop
    w.u16(f.input_if);
    w.u16(f.output_if);
    w.u32(f.packets);
    w.u32(f.bytes);
    w.u32(clock.uptime_ms - f.duration_ms);  // first
    w.u32(clock.uptime_ms);                  // last
    w.u16(f.src_port);
    w.u16(f.dst_port);
    w.u8(0);                                  // pad1
    w.u8(f.protocol == 6 ? 0x1b : 0);          // tcp flags: SYN ACK PSH FIN
    w.u8(f.protocol);
    w.u8(0);   // tos
    w.u16(0);  // src as
    w.u16(0);  // dst as
    w.u8(0);   // src mask
    w.u8(0);   // dst mask
    w.u16(0);  // pad2
  }
};

}  // namespace

std::unique_ptr<Encoder> make_v5_encoder() { return std::make_unique<V5Encoder>(); }

}  // namespace flowd::load
