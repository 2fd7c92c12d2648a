#include "onefirewall_flowd/net/ipfix_stream_framer.h"

#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {

std::span<uint8_t> IpfixStreamFramer::wanted() {
  if (complete_) {
    complete_ = false;
    filled_ = 0;
    needed_ = kHeaderSize;
  }
  if (buffer_.size() < needed_) buffer_.resize(needed_);
  return {buffer_.data() + filled_, needed_ - filled_};
}

IpfixStreamFramer::Result IpfixStreamFramer::received(size_t n) {
  filled_ += n;
  if (filled_ < needed_) return Result::kNeedMore;
  if (filled_ == kHeaderSize) {
    const Result header = check_header();
    if (header != Result::kMessage) return header;
    if (needed_ > kHeaderSize) return Result::kNeedMore;
  }
  complete_ = true;
  return Result::kMessage;
}

// Sets needed_ to the message's length; kMessage when the header is sound.
IpfixStreamFramer::Result IpfixStreamFramer::check_header() {
  ByteReader reader(std::span<const uint8_t>(buffer_.data(), kHeaderSize));
  uint16_t version = 0;
  uint16_t length = 0;
  if (!reader.read_u16(version) || !reader.read_u16(length)) return Result::kBadLength;
  if (version != kIpfixVersion) return Result::kBadVersion;
  if (length < kHeaderSize) return Result::kBadLength;
  needed_ = length;
  return Result::kMessage;
}

}  // namespace flowd
