#include "onefirewall_flowd/decode/netflow_v9.h"

#include "decode_fixture.h"
#include "v9_vectors.h"

namespace flowd {
namespace {

using V9Test = test::DecodeFixture;

TEST_F(V9Test, DecodesTemplateThenDataInOneDatagram) {
  const auto bytes = test::hex(test::kV9TemplateAndData);
  ASSERT_EQ(bytes.size(), 100u);
  feed(bytes);
  ASSERT_EQ(out.size(), 1u);
  const FlowRecord& f = out[0];
  EXPECT_EQ(f.version, 9);
  EXPECT_EQ(f.domain, 1u);
  EXPECT_EQ(f.exporter.to_string(), "192.0.2.1");
  EXPECT_EQ(f.src_addr.to_string(), "192.168.10.5");
  EXPECT_EQ(f.dst_addr.to_string(), "198.51.100.1");
  EXPECT_EQ(f.src_port, 40000);
  EXPECT_EQ(f.dst_port, 443);
  EXPECT_EQ(f.protocol, 6);
  EXPECT_EQ(f.octets, 4000u);
  EXPECT_EQ(f.packets, 10u);
  EXPECT_EQ(f.start_ms, 1'599'999'995'000);
  EXPECT_EQ(f.end_ms, 1'599'999'999'000);
  EXPECT_EQ(f.sampling_interval, 1u);
  EXPECT_FALSE(f.has_firewall_event);
  EXPECT_FALSE(f.has_forwarding_status);
  EXPECT_EQ(stats.flows.value(), 1u);
  EXPECT_EQ(stats.templates_learned.value(), 1u);
  EXPECT_EQ(stats.errors.total(), 0u);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

TEST_F(V9Test, DecodesFirewallFieldsAndSamplingFromOptions) {
  const auto bytes = test::hex(test::kV9Firewall);
  ASSERT_EQ(bytes.size(), 139u);
  feed(bytes);
  ASSERT_EQ(out.size(), 1u);  // the options record is not a flow
  const FlowRecord& f = out[0];
  EXPECT_EQ(f.domain, 2u);
  EXPECT_EQ(f.src_addr.to_string(), "203.0.113.5");
  EXPECT_EQ(f.dst_port, 22);
  ASSERT_TRUE(f.has_firewall_event);
  EXPECT_EQ(f.firewall_event, 3);
  ASSERT_TRUE(f.has_extended_event);
  EXPECT_EQ(f.extended_event, 1001);
  ASSERT_TRUE(f.has_forwarding_status);
  EXPECT_EQ(f.forwarding_status, 0x80);
  ASSERT_TRUE(f.has_flow_direction);
  EXPECT_EQ(f.flow_direction, 0);
  EXPECT_EQ(f.octets, 256u);  // initiator octets stand in for the delta
  EXPECT_EQ(f.reverse_octets, 0u);
  EXPECT_EQ(f.sampling_interval, 100u);
  EXPECT_EQ(f.start_ms, 1'600'000'000'000);  // no time fields: export time
  EXPECT_EQ(stats.templates_learned.value(), 2u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(V9Test, DataBeforeTemplateIsHeldAndDecodedWhenTheTemplateComes) {
  feed_hex(test::kV9DataOnly);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(stats.pending_held.value(), 1u);
  feed_hex(test::kV9TemplateAndData);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].src_addr.to_string(), "192.168.10.6");  // the held record first
  EXPECT_EQ(out[0].dst_port, 80);
  EXPECT_EQ(out[1].src_addr.to_string(), "192.168.10.5");
  EXPECT_EQ(stats.pending_decoded.value(), 1u);
  EXPECT_EQ(stats.flows.value(), 2u);
  EXPECT_EQ(stats.sequence_lost.value(), 0u);  // sequence 6 then 7
}

TEST_F(V9Test, DataBeforeItsTemplateInTheSameDatagramIsDecoded) {
  auto bytes = test::hex(test::kV9DataOnly);  // header + data flowset 256
  const auto with_template = test::hex(test::kV9TemplateAndData);
  bytes.insert(bytes.end(), with_template.begin() + 20, with_template.begin() + 64);  // template flowset
  feed(bytes);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].src_addr.to_string(), "192.168.10.6");
  EXPECT_EQ(stats.pending_held.value(), 1u);
  EXPECT_EQ(stats.pending_decoded.value(), 1u);
}

TEST_F(V9Test, HeldDataExpires) {
  feed_hex(test::kV9DataOnly);
  now += limits.pending.max_age + std::chrono::seconds(1);
  feed_hex(test::kV9TemplateAndData);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(errors(DecodeError::kPendingExpired), 1u);
}

TEST_F(V9Test, HeldDataOverflowDropsTheOldest) {
  TemplateLimits small;
  small.pending.sets_per_exporter = 2;
  reset(small);
  for (int i = 0; i < 3; ++i) feed_hex(test::kV9DataOnly);
  EXPECT_EQ(errors(DecodeError::kPendingOverflow), 1u);
  feed_hex(test::kV9TemplateAndData);
  EXPECT_EQ(out.size(), 3u);
}

TEST_F(V9Test, TemplatesAreScopedBySourceIdAndExporter) {
  feed_hex(test::kV9TemplateAndData);
  auto other_domain = test::hex(test::kV9DataOnly);
  other_domain[19] = 9;  // source_id 9 never sent template 256
  feed(other_domain);
  feed_hex(test::kV9DataOnly, "192.0.2.2");  // nor did another exporter
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(stats.pending_held.value(), 2u);
  feed_hex(test::kV9DataOnly);
  EXPECT_EQ(out.size(), 2u);
}

TEST_F(V9Test, TemplateExpiresAfterItsLifetime) {
  feed_hex(test::kV9TemplateAndData);
  now += limits.template_lifetime + std::chrono::seconds(1);
  feed_hex(test::kV9DataOnly);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(stats.pending_held.value(), 1u);
  EXPECT_EQ(decoder->templates_active(), 0u);
}

TEST_F(V9Test, AnUnchangedTemplateResentRenewsItsLifetime) {
  const auto almost = limits.template_lifetime - std::chrono::seconds(1);
  feed_hex(test::kV9TemplateAndData);
  now += almost;
  feed_hex(test::kV9TemplateAndData);  // the refresh
  now += almost;                       // past the first sending's lifetime, not the refresh's
  feed_hex(test::kV9DataOnly);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(stats.pending_held.value(), 0u);
  EXPECT_EQ(stats.templates_learned.value(), 2u);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

TEST_F(V9Test, CountsPacketSequenceGaps) {
  auto bytes = test::hex(test::kV9TemplateAndData);
  feed(bytes);  // sequence 7
  bytes[15] = 10;
  feed(bytes);  // 8 and 9 lost
  bytes[15] = 11;
  feed(bytes);
  bytes[15] = 3;
  feed(bytes);  // went back: a restart, not loss
  EXPECT_EQ(stats.sequence_lost.value(), 2u);
  EXPECT_EQ(stats.sequence_resets.value(), 1u);
}

TEST_F(V9Test, AFarSequenceJumpIsAResetNotLoss) {
  auto bytes = test::hex(test::kV9TemplateAndData);
  feed(bytes);  // sequence 7
  bytes[12] = 0x7f;
  feed(bytes);  // 0x7f000007: about 2^31 ahead, as one spoofed datagram can claim
  bytes[12] = 0x00;
  bytes[13] = 0x10;
  feed(bytes);  // 0x00100007 after 0x7f000008: behind, also a reset
  EXPECT_EQ(stats.sequence_lost.value(), 0u);
  EXPECT_EQ(stats.sequence_resets.value(), 2u);
  bytes[13] = 0x20;
  feed(bytes);  // 0x00200007: 1M packets ahead of 0x00100008 is still loss
  EXPECT_EQ(stats.sequence_lost.value(), 0xfffffu);
}

TEST_F(V9Test, LyingFlowsetLengthsAreCountedAndStopTheWalk) {
  auto too_long = test::hex(test::kV9TemplateAndData);
  too_long[23] = 0xff;  // template flowset claims 255 bytes
  feed(too_long);
  EXPECT_EQ(errors(DecodeError::kSetTruncated), 1u);
  auto too_short = test::hex(test::kV9TemplateAndData);
  too_short[23] = 0x02;  // shorter than its own header
  feed(too_short);
  EXPECT_EQ(errors(DecodeError::kSetLengthInvalid), 1u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(decoder->templates_active(), 0u);
}

TEST_F(V9Test, TemplateFieldCountBeyondTheFlowsetIsRejected) {
  auto bytes = test::hex(test::kV9TemplateAndData);
  bytes[26] = 0xff;  // 65289 fields in a 44-byte flowset
  bytes[27] = 0x09;
  feed(bytes);
  EXPECT_EQ(errors(DecodeError::kBadTemplate), 1u);
  EXPECT_TRUE(out.empty());
}

TEST_F(V9Test, ZeroFilledTailIsPadding) {
  auto bytes = test::hex(test::kV9TemplateAndData);
  bytes.resize(bytes.size() + 200, 0);
  feed(bytes);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(V9Test, ShortHeaderIsRejected) {
  feed(test::hex("0009 0001 00000000"));
  EXPECT_EQ(errors(DecodeError::kTruncatedHeader), 1u);
}

}  // namespace
}  // namespace flowd
