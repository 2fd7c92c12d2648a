#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace flowd {

// Cuts a TCP byte stream into IPFIX messages by their header's length field
// (RFC 7011 section 10.4). It asks only for the bytes the current message
// still lacks, so a read never runs past a message and the buffer never holds
// more than one message (at most 65,535 bytes, the 16-bit length's limit).
class IpfixStreamFramer {
 public:
  static constexpr size_t kHeaderSize = 16;
  static constexpr uint16_t kIpfixVersion = 10;

  enum class Result : uint8_t {
    kNeedMore,    // the message is not complete yet
    kMessage,     // message() is a complete message
    kBadVersion,  // the header's version is not 10: the stream cannot be resynchronised
    kBadLength,   // the header's length is below the header's own 16 bytes
  };

  // Where the next bytes of the stream go: the rest of the header, or of the
  // message. Never empty. Starts a new message after a kMessage.
  std::span<uint8_t> wanted();
  // n bytes (at most wanted().size()) were written into wanted().
  Result received(size_t n);
  // The complete message, after received() returned kMessage.
  [[nodiscard]] std::span<const uint8_t> message() const { return {buffer_.data(), filled_}; }
  // Some bytes of a message arrived but not all of it.
  [[nodiscard]] bool mid_message() const { return filled_ > 0 && !complete_; }

 private:
  Result check_header();

  std::vector<uint8_t> buffer_;
  size_t filled_ = 0;
  size_t needed_ = kHeaderSize;
  bool complete_ = false;
};

}  // namespace flowd
