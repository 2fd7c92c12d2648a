// Truncated, lying, oversized and random input: no crash, no garbage record,
// every drop counted, and good traffic afterwards still decodes.
#include <random>

#include "decode_fixture.h"
#include "ipfix_vectors.h"
#include "v9_vectors.h"

namespace flowd {
namespace {

using HostileInput = test::DecodeFixture;

bool same_flow(const FlowRecord& a, const FlowRecord& b) {
  return a.src_addr == b.src_addr && a.dst_addr == b.dst_addr && a.src_port == b.src_port &&
         a.dst_port == b.dst_port && a.protocol == b.protocol && a.octets == b.octets &&
         a.packets == b.packets && a.start_ms == b.start_ms && a.end_ms == b.end_ms &&
         a.firewall_event == b.firewall_event && a.forwarding_status == b.forwarding_status;
}

// Decodes every proper prefix with a fresh decoder: any record that comes
// out must be one the whole datagram yields, in the same place. IPFIX has a
// message length, so every lost record is also counted; a v9 datagram cut
// within 3 bytes of a set boundary, or before zeros, looks like padding.
void expect_prefixes_yield_no_garbage(std::string_view annotated, bool length_framed) {
  const auto whole = test::hex(annotated);
  std::vector<FlowRecord> expected;
  {
    DecodeStats stats;
    Decoder decoder(stats);
    decoder.decode(Datagram{IpAddress::from_v4(0xc0000201), 2055, whole, {}}, expected);
  }
  ASSERT_FALSE(expected.empty());
  for (size_t n = 0; n < whole.size(); ++n) {
    const std::vector<uint8_t> prefix(whole.begin(), whole.begin() + static_cast<long>(n));
    DecodeStats stats;
    Decoder decoder(stats);
    std::vector<FlowRecord> out;
    decoder.decode(Datagram{IpAddress::from_v4(0xc0000201), 2055, prefix, {}}, out);
    ASSERT_LE(out.size(), expected.size()) << "prefix of " << n << " bytes";
    for (size_t i = 0; i < out.size(); ++i) {
      EXPECT_TRUE(same_flow(out[i], expected[i])) << "prefix of " << n << " bytes, record " << i;
    }
    if (length_framed && out.size() < expected.size()) {
      EXPECT_GT(stats.errors.total() + stats.pending_held.value(), 0u) << "silent loss at " << n << " bytes";
    }
  }
}

TEST(Prefixes, V9TemplateAndData) {
  expect_prefixes_yield_no_garbage(test::kV9TemplateAndData, false);
}
TEST(Prefixes, V9Firewall) {
  expect_prefixes_yield_no_garbage(test::kV9Firewall, false);
}
TEST(Prefixes, IpfixVariableLengthAndEnterprise) {
  expect_prefixes_yield_no_garbage(test::kIpfixTemplateAndData, true);
}

TEST_F(HostileInput, TemplateCapPerDomainIsCounted) {
  TemplateLimits small;
  small.templates_per_domain = 1;
  reset(small);
  feed_hex(test::kV9Firewall);  // an options template and a template: the second is refused
  EXPECT_EQ(errors(DecodeError::kTemplateCapExceeded), 1u);
  EXPECT_EQ(decoder->templates_active(), 1u);
  feed_hex(test::kV9Firewall);  // redefining the one held is not a new template
  EXPECT_EQ(errors(DecodeError::kTemplateCapExceeded), 2u);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

constexpr std::string_view kIpfixTemplate301 = R"(
  000a 001c 5f5e1000 00000000 00000005
  0002 000c 012d 0001 0008 0004   # template 301: one field
)";

TEST_F(HostileInput, TemplateFieldBudgetIsCappedAndFreedByWithdrawal) {
  TemplateLimits small;
  small.template_fields_per_exporter = 15;  // exactly template 300
  reset(small);
  feed_hex(test::kIpfixTemplateAndData);
  feed_hex(kIpfixTemplate301);
  EXPECT_EQ(errors(DecodeError::kTemplateCapExceeded), 1u);
  EXPECT_EQ(decoder->templates_active(), 1u);
  feed_hex(test::kIpfixWithdraw300);
  feed_hex(kIpfixTemplate301);
  EXPECT_EQ(decoder->templates_active(), 1u);
  EXPECT_EQ(errors(DecodeError::kTemplateCapExceeded), 1u);
  feed_hex(test::kIpfixTemplateAndData, "192.0.2.2");  // another exporter has its own budget
  EXPECT_EQ(decoder->templates_active(), 2u);
}

TEST_F(HostileInput, FullTotalsEvictTheLeastRecentlySeenUnlistedExporter) {
  TemplateLimits small;
  small.templates_total = 1;
  small.domains_total = 2;
  reset(small);
  feed_hex(test::kIpfixTemplateAndData, "192.0.2.1");
  feed_hex(test::kIpfixTemplateAndData, "192.0.2.2");  // templates full: 192.0.2.1 goes
  EXPECT_EQ(decoder->cache().exporter_count(), 1u);
  EXPECT_EQ(out.size(), 4u);
  feed_hex(kIpfixTemplate301, "192.0.2.2");  // never evicts the exporter that asks
  EXPECT_EQ(errors(DecodeError::kTemplateCapExceeded), 1u);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

TEST_F(HostileInput, FullTotalsNeverEvictAListedExporter) {
  TemplateLimits small;
  small.templates_total = 1;
  small.domains_total = 1;
  small.admission.listed = [](const IpAddress& a) { return a.to_string() == "192.0.2.1"; };
  reset(small);
  feed_hex(test::kIpfixTemplateAndData, "192.0.2.1");
  feed_hex(test::kIpfixTemplateAndData, "192.0.2.2");
  EXPECT_EQ(errors(DecodeError::kDomainCapExceeded), 1u);
  EXPECT_EQ(decoder->cache().exporter_count(), 2u);  // the unlisted one, with no domain
  EXPECT_EQ(decoder->templates_active(), 1u);
  EXPECT_EQ(out.size(), 2u);
}

TEST_F(HostileInput, DomainCapPerExporterIsCounted) {
  TemplateLimits small;
  small.domains_per_exporter = 1;
  reset(small);
  feed_hex(test::kV9TemplateAndData);  // source_id 1
  feed_hex(test::kV9Firewall);         // source_id 2: refused whole
  EXPECT_EQ(errors(DecodeError::kDomainCapExceeded), 1u);
  EXPECT_EQ(out.size(), 1u);
}

TEST_F(HostileInput, ExporterCapEvictsTheLeastRecentlySeenUnlistedExporter) {
  TemplateLimits small;
  small.exporters = 2;
  reset(small);
  feed_hex(test::kV9TemplateAndData, "192.0.2.1");
  feed_hex(test::kV9TemplateAndData, "192.0.2.2");
  feed_hex(test::kV9DataOnly, "192.0.2.1");  // 192.0.2.2 is now the least recently seen
  feed_hex(test::kV9TemplateAndData, "192.0.2.3");
  EXPECT_EQ(errors(DecodeError::kExporterCapExceeded), 0u);
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(decoder->templates_active(), 2u);  // the evicted exporter's template went with it
  feed_hex(test::kV9DataOnly, "192.0.2.1");
  EXPECT_EQ(out.size(), 5u);
}

TEST_F(HostileInput, ExporterCapFullOfListedExportersIsCountedUntilOneIsIdle) {
  TemplateLimits small;
  small.exporters = 1;
  small.admission.listed = [](const IpAddress& a) { return a.to_string() == "192.0.2.1"; };
  reset(small);
  feed_hex(test::kV9TemplateAndData, "192.0.2.1");
  feed_hex(test::kV9TemplateAndData, "192.0.2.2");
  EXPECT_EQ(errors(DecodeError::kExporterCapExceeded), 1u);
  EXPECT_EQ(out.size(), 1u);
  now += small.template_lifetime + std::chrono::seconds(1);
  feed_hex(test::kV9TemplateAndData, "192.0.2.2");
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(decoder->templates_active(), 1u);
}

TEST_F(HostileInput, PendingBytesAreCappedOverAllExporters) {
  TemplateLimits small;
  // Unlisted exporters get 3/4 of the budget: room for one 32-byte data set.
  small.pending.bytes_total = 2 * PendingSets::held_bytes(32);
  reset(small);
  feed_hex(test::kV9DataOnly, "192.0.2.1");
  feed_hex(test::kV9DataOnly, "192.0.2.2");
  EXPECT_EQ(stats.pending_held.value(), 1u);
  EXPECT_EQ(errors(DecodeError::kPendingOverflow), 1u);
}

TEST_F(HostileInput, HugeFieldCountsNeverSizeAnAllocation) {
  feed_hex(R"(000a 0018 00000000 00000000 00000001
              0002 0008 0100 ffff   # template 256 claims 65535 fields in 4 bytes)");
  feed_hex(R"(000a 001a 00000000 00000000 00000001
              0003 000a 0100 ffff ffff   # options template likewise)");
  EXPECT_EQ(errors(DecodeError::kBadTemplate), 1u);
  EXPECT_EQ(errors(DecodeError::kBadOptionsTemplate), 1u);
  EXPECT_EQ(decoder->templates_active(), 0u);
}

TEST_F(HostileInput, OptionsTemplateScopeCountAboveFieldCountIsRejected) {
  feed_hex(R"(000a 001e 00000000 00000000 00000001
              0003 000e 0100 0001 0002 0004 0004 0000)");
  EXPECT_EQ(errors(DecodeError::kBadOptionsTemplate), 1u);
}

// Found by libFuzzer: an 8-byte flowStartSeconds overflowed seconds * 1000.
TEST_F(HostileInput, RegressionHugeTimestampsAreIgnored) {
  feed_hex(R"(
    0009 0001 00000000 5f5e1000 00000000 00000001
    0000 0014 0100 0003
    0096 0008     # flowStartSeconds, 8 bytes wide
    00a0 0008     # systemInitTimeMilliseconds
    0016 0004     # flowStartSysUpTime
    0100 0018 7fffffffffffffff ffffffffffffffff ffffffff
  )");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 1'600'000'000'000 - 1);  // via the v9 header clock
  EXPECT_EQ(out[0].end_ms, 1'600'000'000'000);        // no end stamp: export time
}

TEST_F(HostileInput, RandomDatagramsDoNotDisturbGoodTraffic) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> size(0, 300);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> junk(size(random));
    for (uint8_t& b : junk) b = static_cast<uint8_t>(byte(random));
    if (junk.size() >= 2) junk[1] = static_cast<uint8_t>(i % 2 == 0 ? 9 : 10), junk[0] = 0;
    if (junk.size() >= 4 && i % 2 == 1) {  // a plausible IPFIX length
      junk[2] = static_cast<uint8_t>(junk.size() >> 8);
      junk[3] = static_cast<uint8_t>(junk.size());
    }
    feed(junk, "203.0.113.9");
  }
  out.clear();
  feed_hex(test::kIpfixTemplateAndData);
  feed_hex(test::kV9TemplateAndData);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].octets, 4000u);
  EXPECT_EQ(out[1].forwarding_status, 0xc3);
  EXPECT_EQ(out[2].end_ms, 1'599'999'999'000);
}

}  // namespace
}  // namespace flowd
