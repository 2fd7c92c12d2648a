#include "onefirewall_flowd/decode/template_store.h"

#include <random>

#include "decode_fixture.h"
#include "ipfix_vectors.h"
#include "v9_vectors.h"

namespace flowd {
namespace {

struct TemplateStoreTest : test::DecodeFixture {
  // Templates of three domains: v9 256 (source 1), v9 257 options + 258
  // (source 2), IPFIX 300 with enterprise and variable-length fields.
  std::vector<uint8_t> saved_from_a_running_decoder() {
    feed_hex(test::kV9TemplateAndData);
    feed_hex(test::kV9Firewall);
    feed_hex(test::kIpfixTemplateAndData);
    EXPECT_EQ(decoder->templates_active(), 4u);
    return decoder->save_templates(now);
  }
};

TEST_F(TemplateStoreTest, ARestartedDecoderDecodesDataAtOnce) {
  const auto saved = saved_from_a_running_decoder();
  reset(limits);
  out.clear();
  EXPECT_EQ(decoder->load_templates(saved, now), 4u);
  EXPECT_EQ(decoder->templates_active(), 4u);
  feed_hex(test::kV9DataOnly);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].src_addr.to_string(), "192.168.10.6");
  EXPECT_EQ(stats.pending_held.value(), 0u);
}

TEST_F(TemplateStoreTest, RestoredTemplatesKeepTheirLayouts) {
  const auto saved = saved_from_a_running_decoder();
  const std::vector<FlowRecord> before = out;
  reset(limits);
  out.clear();
  ASSERT_EQ(decoder->load_templates(saved, now), 4u);
  // The data sets alone, after their templates were restored.
  auto ipfix = test::hex(test::kIpfixTemplateAndData);
  ipfix.erase(ipfix.begin() + 16, ipfix.begin() + 92);  // drop the template set
  ipfix[3] = static_cast<uint8_t>(ipfix.size());
  feed(ipfix);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(before.size(), 4u);  // v9, v9 firewall, then the two IPFIX records
  EXPECT_EQ(out[0].src_addr, before[2].src_addr);
  EXPECT_EQ(out[0].reverse_octets, 100u);
  EXPECT_EQ(out[1].src_addr, before[3].src_addr);  // read after the 3-byte varlen form
  EXPECT_EQ(out[1].dst_port, before[3].dst_port);
  EXPECT_EQ(out[1].forwarding_status, 0xc3);
}

TEST_F(TemplateStoreTest, SavedTemplatesStillExpire) {
  const auto saved = saved_from_a_running_decoder();
  reset(limits);
  ASSERT_EQ(decoder->load_templates(saved, now), 4u);
  now += limits.template_lifetime + std::chrono::seconds(1);
  out.clear();
  feed_hex(test::kV9DataOnly);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(stats.pending_held.value(), 1u);
}

TEST_F(TemplateStoreTest, ExpiredTemplatesAreNeitherSavedNorRestored) {
  const auto saved = saved_from_a_running_decoder();
  now += limits.template_lifetime + std::chrono::seconds(1);
  EXPECT_EQ(decoder->save_templates(now).size(), 6u);  // the header alone
  reset(limits);
  EXPECT_EQ(decoder->load_templates(saved, now), 0u);
  EXPECT_EQ(decoder->templates_active(), 0u);
  EXPECT_EQ(decoder->cache().exporter_count(), 0u);
}

TEST_F(TemplateStoreTest, AnEndlessLifetimeNeitherOverflowsNorExpires) {
  TemplateLimits endless;
  endless.template_lifetime = std::chrono::seconds::max();
  reset(endless);
  const auto saved = saved_from_a_running_decoder();
  now += std::chrono::hours(24 * 365 * 100);
  out.clear();
  feed_hex(test::kV9DataOnly);
  EXPECT_EQ(out.size(), 1u);
  reset(endless);
  EXPECT_EQ(decoder->load_templates(saved, now), 4u);
}

TEST_F(TemplateStoreTest, RestoringRespectsTheCaps) {
  const auto saved = saved_from_a_running_decoder();
  TemplateLimits small;
  small.templates_total = 2;
  reset(small);
  EXPECT_EQ(decoder->load_templates(saved, now), 2u);
  EXPECT_EQ(decoder->templates_active(), 2u);
}

// Found by libFuzzer (twice): a far-future refresh time overflowed the clock.
TEST_F(TemplateStoreTest, RegressionRefreshTimeBeyondYear2100IsRejected) {
  auto saved = saved_from_a_running_decoder();
  saved[6 + 26 + 1] = 0x54;  // the first refresh time becomes 0x0054... ms, past 2262 in nanoseconds
  reset(limits);
  EXPECT_EQ(decoder->load_templates(saved, now), 0u);
}

TEST_F(TemplateStoreTest, DamagedFilesNeverCrashOrOverRestore) {
  const auto saved = saved_from_a_running_decoder();
  for (size_t n = 0; n < saved.size(); ++n) {
    DecodeStats fresh_stats;
    Decoder fresh(fresh_stats);
    const size_t restored = fresh.load_templates(std::span(saved).first(n), now);
    EXPECT_LT(restored, 4u) << "prefix of " << n << " bytes";
  }
  std::mt19937 random(3);
  for (int i = 0; i < 2000; ++i) {
    auto damaged = saved;
    damaged[random() % damaged.size()] ^= static_cast<uint8_t>(1u << (random() % 8));
    DecodeStats fresh_stats;
    Decoder fresh(fresh_stats);
    EXPECT_LE(fresh.load_templates(damaged, now), 4u);
  }
  auto wrong_magic = saved;
  wrong_magic[0] = 'X';
  EXPECT_EQ(decoder->load_templates(wrong_magic, now), 0u);
  EXPECT_EQ(decoder->load_templates({}, now), 0u);
}

}  // namespace
}  // namespace flowd
