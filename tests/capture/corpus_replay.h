#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "onefirewall_flowd/capture/capture_reader.h"
#include "onefirewall_flowd/decode/decoder.h"

namespace flowd::test {

inline std::filesystem::path captures_dir() {
  return FLOWD_CAPTURES_DIR;
}

// Replays capture files, in order, into one decoder, as one exporter would
// send them now (capture times are ignored so that templates never expire).
class CorpusReplay {
 public:
  // False, with a message, when a file cannot be read. after_each, when
  // given, sees the decoder after every datagram.
  bool replay(const std::vector<std::string>& files, std::string& error,
              const std::function<void(const Decoder&)>& after_each = {}) {
    for (const std::string& file : files) {
      CaptureResult capture = read_capture(captures_dir() / file, *IpAddress::parse("192.0.2.1"));
      if (!capture.error.empty()) {
        error = capture.error;
        return false;
      }
      for (CapturedDatagram& datagram : capture.datagrams) {
        datagram.time = kNow;
        decoder_.decode(datagram.datagram(), records_);
        if (after_each) after_each(decoder_);
      }
      datagrams_ += capture.datagrams.size();
    }
    return true;
  }

  // Decodes a datagram built by hand, as the raw files' stand-in exporter sends it.
  void feed(const std::vector<uint8_t>& bytes) {
    decoder_.decode(Datagram{*IpAddress::parse("192.0.2.1"), 2055, bytes, kNow}, records_);
  }

  [[nodiscard]] const std::vector<FlowRecord>& records() const { return records_; }
  [[nodiscard]] const DecodeStats& stats() const { return stats_; }
  [[nodiscard]] size_t datagrams() const { return datagrams_; }
  [[nodiscard]] const Decoder& decoder() const { return decoder_; }

 private:
  static constexpr std::chrono::system_clock::time_point kNow{std::chrono::seconds(1'700'000'000)};

  DecodeStats stats_;
  Decoder decoder_{stats_};
  std::vector<FlowRecord> records_;
  size_t datagrams_ = 0;
};

// Skips the calling test when the shared captures are not checked out.
#define FLOWD_REQUIRE_CAPTURES()                                                     \
  if (!std::filesystem::is_directory(::flowd::test::captures_dir())) {               \
    GTEST_SKIP() << "captures not found at " << ::flowd::test::captures_dir()        \
                 << " (set FLOWD_CAPTURES_DIR); real-exporter corpus tests skipped"; \
  }

}  // namespace flowd::test
