#include "onefirewall_flowd/decode/ipfix.h"

#include "decode_fixture.h"
#include "ipfix_vectors.h"

namespace flowd {
namespace {

using IpfixTest = test::DecodeFixture;

TEST_F(IpfixTest, DecodesVariableLengthEnterpriseAndReverseFields) {
  const auto bytes = test::hex(test::kIpfixTemplateAndData);
  ASSERT_EQ(bytes.size(), 232u);
  feed(bytes);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(stats.errors.total(), 0u);

  const FlowRecord& a = out[0];
  EXPECT_EQ(a.version, 10);
  EXPECT_EQ(a.domain, 5u);
  EXPECT_EQ(a.src_addr.to_string(), "192.168.10.5");
  EXPECT_EQ(a.dst_port, 443);
  EXPECT_EQ(a.octets, 4000u);
  EXPECT_EQ(a.packets, 16u);
  EXPECT_EQ(a.reverse_octets, 100u);
  EXPECT_EQ(a.start_ms, 1'600'000'000'000);
  EXPECT_EQ(a.end_ms, 1'600'000'005'000);
  ASSERT_TRUE(a.has_forwarding_status);
  EXPECT_EQ(a.forwarding_status, 0x40);  // IANA 89, not the enterprise-9 one
  ASSERT_TRUE(a.has_firewall_event);
  EXPECT_EQ(a.firewall_event, 1);
  ASSERT_TRUE(a.has_biflow_direction);
  EXPECT_EQ(a.biflow_direction, 1);

  const FlowRecord& b = out[1];  // read after a 3-byte length: fields still line up
  EXPECT_EQ(b.src_addr.to_string(), "198.51.100.1");
  EXPECT_EQ(b.src_port, 443);
  EXPECT_EQ(b.octets, 16u);
  EXPECT_EQ(b.forwarding_status, 0xc3);
  EXPECT_EQ(b.firewall_event, 2);
  EXPECT_EQ(b.biflow_direction, 2);
}

TEST_F(IpfixTest, WithdrawalForgetsTheTemplate) {
  feed_hex(test::kIpfixTemplateAndData);
  EXPECT_EQ(decoder->templates_active(), 1u);
  feed_hex(test::kIpfixWithdraw300);
  EXPECT_EQ(decoder->templates_active(), 0u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(IpfixTest, WithdrawAllForgetsEveryTemplateOfTheDomain) {
  feed_hex(test::kIpfixTemplateAndData);
  feed_hex(R"(000a 0018 5f5e1000 00000002 00000005
              0002 0008 0002 0000   # template id 2, count 0: withdraw all)");
  EXPECT_EQ(decoder->templates_active(), 0u);
}

TEST_F(IpfixTest, WithdrawAllForgetsOnlyTheTemplatesOfItsSetsKind) {
  feed_hex(test::kIpfixTemplateAndData);
  feed_hex(R"(000a 0022 5f5e1000 00000002 00000005
              0003 0012 0101 0002 0001   # options template 257, one scope field
              0030 0001 0022 0004        # samplerId, samplingInterval)");
  ASSERT_EQ(decoder->templates_active(), 2u);
  feed_hex(R"(000a 0018 5f5e1000 00000002 00000005
              0003 0008 0003 0000   # options template set: withdraw all options templates)");
  EXPECT_EQ(decoder->templates_active(), 1u);
  const size_t before = out.size();
  feed(test::ipfix_data_only());
  EXPECT_EQ(out.size(), before + 2) << "the data template outlived the options withdrawal";
}

// Template 256 with one 4-byte field; data set with the given record bytes.
std::vector<uint8_t> message(uint32_t domain, std::string_view fields, std::string_view data) {
  auto body = test::hex(fields);
  auto records = test::hex(data);
  std::vector<uint8_t> m = test::hex("000a 0000 5f5e1000 00000000 00000000");
  m[15] = static_cast<uint8_t>(domain);
  const auto set_length = static_cast<uint8_t>(8 + body.size());
  for (uint8_t b : {uint8_t{0}, uint8_t{2}, uint8_t{0}, set_length, uint8_t{1}, uint8_t{0}, uint8_t{0},
                    static_cast<uint8_t>(body.size() / 4)}) {
    m.push_back(b);
  }
  m.insert(m.end(), body.begin(), body.end());
  for (uint8_t b : {uint8_t{1}, uint8_t{0}, uint8_t{0}, static_cast<uint8_t>(4 + records.size())})
    m.push_back(b);
  m.insert(m.end(), records.begin(), records.end());
  m[3] = static_cast<uint8_t>(m.size());
  return m;
}

TEST_F(IpfixTest, TwoDomainsReuseOneTemplateIdWithDifferentLayouts) {
  feed(message(1, "0007 0002 000b 0002", "0035 1f90"));  // domain 1: ports
  feed(message(2, "000b 0002 0007 0002", "0035 1f90"));  // domain 2: reversed order
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].src_port, 53);
  EXPECT_EQ(out[0].dst_port, 8080);
  EXPECT_EQ(out[1].src_port, 8080);
  EXPECT_EQ(out[1].dst_port, 53);
  EXPECT_EQ(decoder->templates_active(), 2u);
}

TEST_F(IpfixTest, RedefinitionReplacesTheLayout) {
  feed(message(1, "0007 0002 000b 0002", "0035 1f90"));
  feed(message(1, "0004 0001 0005 0001 000b 0002", "11 00 0050"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].protocol, 17);
  EXPECT_EQ(out[1].dst_port, 80);
  EXPECT_EQ(out[1].src_port, 0);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

TEST_F(IpfixTest, ZeroLengthTemplateNeverLoops) {
  feed(message(1, "0007 0000", "00000000"));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(errors(DecodeError::kZeroLengthTemplate), 1u);
}

TEST_F(IpfixTest, VariableLengthOverrunDropsOnlyTheBadRecord) {
  // Records: 1-byte length 2 with its value, then a length of 200 with 1 byte left.
  feed(message(1, "0052 ffff", "02 6162 c8 00"));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(errors(DecodeError::kBadRecord), 1u);
}

TEST_F(IpfixTest, MessageLengthBeyondTheDatagramIsRejected) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[3] = 0xe9;  // one byte more than the datagram
  feed(bytes);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(errors(DecodeError::kIpfixBadLength), 1u);
  bytes[2] = 0;
  bytes[3] = 0x0f;  // shorter than the header
  feed(bytes);
  EXPECT_EQ(errors(DecodeError::kIpfixBadLength), 2u);
}

TEST_F(IpfixTest, MessagesBackToBackAreAllDecodedAndATailIsCounted) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  const auto second = test::hex(test::kIpfixTemplateAndData);
  bytes.insert(bytes.end(), second.begin(), second.end());
  bytes.push_back(0x00);
  feed(bytes);
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(errors(DecodeError::kIpfixTrailingBytes), 1u);
}

TEST_F(IpfixTest, SetLengthBeyondTheMessageIsCounted) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[94] = 0xff;  // data set claims more bytes than the message holds
  feed(bytes);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(errors(DecodeError::kSetTruncated), 1u);
  EXPECT_EQ(decoder->templates_active(), 1u);  // the template set before it counted
}

TEST_F(IpfixTest, MessageLengthShortOfItsLastSetStillDecodesTheSetAndIsCounted) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[3] = 0xe4;  // 4 bytes short: the data set ends past the message, within the datagram
  feed(bytes);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(errors(DecodeError::kIpfixLengthMismatch), 1u);
  EXPECT_EQ(errors(DecodeError::kSetTruncated), 0u);
  EXPECT_EQ(errors(DecodeError::kIpfixTrailingBytes), 0u);
}

TEST_F(IpfixTest, AShortMessageLengthEndsWhereItsLastSetEnds) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[3] = 0xe4;
  const auto second = test::hex(test::kIpfixTemplateAndData);
  bytes.insert(bytes.end(), second.begin(), second.end());
  feed(bytes);
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(errors(DecodeError::kIpfixLengthMismatch), 1u);
  EXPECT_EQ(stats.errors.total(), 1u);
}

TEST_F(IpfixTest, ALastSetPastTheDatagramIsStillTruncatedWhateverTheMessageLength) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[3] = 0xe4;
  bytes[95] += 1;  // the data set now ends one byte past the datagram
  feed(bytes);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(errors(DecodeError::kSetTruncated), 1u);
  EXPECT_EQ(errors(DecodeError::kIpfixLengthMismatch), 0u);
}

TEST_F(IpfixTest, CountsDataRecordSequenceGaps) {
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  feed(bytes);  // sequence 0, 2 records
  bytes[11] = 2;
  feed(bytes);  // expected 2: no gap
  bytes[11] = 9;
  feed(bytes);  // expected 4: 5 lost
  EXPECT_EQ(stats.sequence_lost.value(), 5u);
}

TEST_F(IpfixTest, DataHeldForItsTemplateIsNotASequenceGap) {
  feed(test::ipfix_data_only());  // sequence 0, 2 records the decoder cannot count yet
  EXPECT_EQ(stats.pending_held.value(), 1u);
  auto bytes = test::hex(test::kIpfixTemplateAndData);
  bytes[11] = 2;  // the exporter counted the held records
  feed(bytes);
  EXPECT_EQ(stats.pending_decoded.value(), 1u);
  bytes[11] = 4;
  feed(bytes);
  bytes[11] = 9;
  feed(bytes);  // expected 6: gaps still count after the uncounted message
  EXPECT_EQ(stats.sequence_lost.value(), 3u);
  EXPECT_EQ(stats.sequence_resets.value(), 0u);
}

TEST_F(IpfixTest, AFrameSectionFillsOnlyWhatTheRecordDoesNotCarry) {
  feed_hex(R"(
    000a 005f 5f5e1000 00000000 00000001   # IPFIX, 95 bytes, domain 1
    0002 0010 0190 0002                    # template 400, 2 fields
    0008 0004                              # sourceIPv4Address
    013b ffff                              # dataLinkFrameSection, variable length
    0190 003f                              # data set, 63 bytes
    0a000001                               # source 10.0.0.1, as the exporter saw it
    36                                     # 54-byte frame:
    02000000000a 02000000000b 0800         #   Ethernet, IPv4
    4500 0028 0001 0000 4006 0000 c0000201 c6336401
    01bb d431 00000001 00000000 5012 ffff 0000 0000
  )");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].src_addr.to_string(), "10.0.0.1");
  EXPECT_EQ(out[0].dst_addr.to_string(), "198.51.100.1");
  EXPECT_EQ(out[0].protocol, 6);
  EXPECT_EQ(out[0].src_port, 443);
  EXPECT_EQ(out[0].dst_port, 54321);
  EXPECT_EQ(out[0].tcp_flags, 0x12);
}

TEST_F(IpfixTest, OptionsTemplateSamplingAppliesBySamplerId) {
  feed_hex(R"(
    000a 004b 5f5e1000 00000000 00000001
    0003 0014          # options template set, length 20
    0101 0002 0001     # template 257, 2 fields, 1 scope field
    0030 0001          # scope: samplerId (48)
    0022 0004          # samplingInterval (34)
    0000               # padding
    0002 0010          # template set, length 16
    0100 0002          # template 256, 2 fields
    0030 0001          # samplerId
    000b 0002          # destinationTransportPort
    0101 0009 07 000003e8   # options data: sampler 7 samples 1 in 1000
    0100 000e 07 0050  08 0051  09 0052 # three flows: samplers 7, 8, 9
    00                 # padding, shorter than a record
  )");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].sampling_interval, 1000u);
  EXPECT_EQ(out[1].sampling_interval, 1u);  // sampler 8 was never announced
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(IpfixTest, JuniperForwardingExceptionMeansDropped) {
  feed_hex(R"(
    000a 002a 5f5e1000 00000000 00000001
    0002 0010 0100 0001
    8089 0002 00000a4c   # PEN 2636 (Juniper) IE 137 commonPropertiesId, 2 bytes
    0100 000a
    08c3                 # type 2 (forwarding exception), code 195: dropped
    0800                 # type 2, code 0: not a drop
    0cc3                 # type 3: another property
  )");
  ASSERT_EQ(out.size(), 3u);
  ASSERT_TRUE(out[0].has_forwarding_status);
  EXPECT_EQ(out[0].forwarding_status, 0x80);
  EXPECT_FALSE(out[1].has_forwarding_status);
  EXPECT_FALSE(out[2].has_forwarding_status);
}

TEST_F(IpfixTest, UptimeStampsUseSystemInitTime) {
  feed_hex(R"(
    000a 0038 5f5e1000 00000000 00000001
    0002 0014 0100 0003
    00a0 0008          # systemInitTimeMilliseconds (160)
    0016 0004          # flowStartSysUpTime (22)
    0015 0004          # flowEndSysUpTime (21)
    0100 0014 00000174876e8000 000003e8 000007d0
  )");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 1'600'000'001'000);
  EXPECT_EQ(out[0].end_ms, 1'600'000'002'000);
}

}  // namespace
}  // namespace flowd
