// The flows the load tool sends: halves of recurring (or distinct) conversations.
#pragma once

#include <cstdint>

namespace flowd::load {

// One unidirectional flow, as an exporter would report it.
struct Flow {
  uint32_t src_addr = 0;
  uint32_t dst_addr = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t protocol = 0;
  uint32_t packets = 0;
  uint32_t bytes = 0;
  uint32_t duration_ms = 0;
  uint16_t input_if = 0;
  uint16_t output_if = 0;
};

// The flows of one exporter. Flow n is half (n % 2) of that exporter's conversation
// j = (n / 2) % count: the client's request, then the server's reply. Exporter e of E owns
// conversations e, e + E, e + 2E..., so no two exporters share one. With `distinct`,
// conversations never repeat.
class ConversationSource {
 public:
  ConversationSource(uint64_t count, bool distinct, uint32_t exporter, uint32_t exporters)
      : count_(count), distinct_(distinct), exporter_(exporter), exporters_(exporters) {}

  Flow next();
  uint64_t emitted() const { return next_; }

 private:
  Flow request(uint64_t conversation) const;

  uint64_t count_;
  bool distinct_;
  uint32_t exporter_;
  uint32_t exporters_;
  uint64_t next_ = 0;
};

}  // namespace flowd::load
