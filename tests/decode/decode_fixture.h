#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "hex.h"
#include "onefirewall_flowd/decode/decoder.h"

namespace flowd::test {

// A decoder with its stats, fed annotated hex as one exporter.
struct DecodeFixture : ::testing::Test {
  DecodeStats stats;
  TemplateLimits limits;
  std::unique_ptr<Decoder> decoder = std::make_unique<Decoder>(stats, limits);
  std::vector<FlowRecord> out;
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'600'000'000)};

  // Rebuilds the decoder after a test changed the limits.
  void reset(const TemplateLimits& new_limits) {
    limits = new_limits;
    decoder = std::make_unique<Decoder>(stats, limits);
  }
  void feed(const std::vector<uint8_t>& bytes, std::string_view exporter = "192.0.2.1") {
    decoder->decode(Datagram{*IpAddress::parse(exporter), 2055, bytes, now}, out);
  }
  void feed_hex(std::string_view annotated, std::string_view exporter = "192.0.2.1") {
    feed(hex(annotated), exporter);
  }
  uint64_t errors(DecodeError e) const { return stats.errors.value(e); }
};

}  // namespace flowd::test
