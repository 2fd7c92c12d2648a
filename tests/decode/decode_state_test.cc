// Floods of decode state from unlisted (possibly spoofed) exporters: a
// listed exporter keeps decoding v9, IPFIX and data sent before its template
// during the attack, a new unlisted one does once the attack's state has
// expired, and the state stays within its caps throughout.
#include "decode_fixture.h"
#include "ipfix_builder.h"
#include "ipfix_vectors.h"
#include "v5_vectors.h"
#include "v9_vectors.h"

namespace flowd {
namespace {

using namespace std::chrono_literals;

using test::put16;
using test::put32;

// One IPFIX message of 1024 one-field templates (ids 256..1279) in one domain.
std::vector<uint8_t> ipfix_template_flood(uint32_t domain) {
  constexpr uint32_t kTemplates = 1024;
  std::vector<uint8_t> out;
  out.reserve(20 + kTemplates * 8);
  put16(out, 10);
  put16(out, 16 + 4 + kTemplates * 8);
  put32(out, 1'600'000'000);
  put32(out, 0);
  put32(out, domain);
  put16(out, 2);
  put16(out, 4 + kTemplates * 8);
  for (uint32_t i = 0; i < kTemplates; ++i) {
    put16(out, 256 + i);
    put16(out, 1);
    put16(out, 8);  // sourceIPv4Address
    put16(out, 4);
  }
  return out;
}

// A bare 20-byte v9 header: it carries nothing but makes a domain.
std::vector<uint8_t> v9_header(uint32_t source_id, size_t room = 0) {
  std::vector<uint8_t> out;
  out.reserve(20 + room);
  put16(out, 9);
  put16(out, 0);
  put32(out, 100'000);
  put32(out, 1'600'000'000);
  put32(out, 1);
  put32(out, source_id);
  return out;
}

// A v9 data set of `payload` bytes for template 256 of source 1, which never comes.
std::vector<uint8_t> v9_orphan_data(size_t payload) {
  std::vector<uint8_t> out = v9_header(1, 4 + payload);
  put16(out, 256);
  put16(out, static_cast<uint32_t>(4 + payload));
  out.resize(out.size() + payload, 0xab);
  return out;
}

// The IPFIX vector's data set without its template set (76 bytes after the header).
std::vector<uint8_t> ipfix_data_only() {
  std::vector<uint8_t> bytes = test::hex(test::kIpfixTemplateAndData);
  bytes.erase(bytes.begin() + 16, bytes.begin() + 92);
  bytes[2] = static_cast<uint8_t>(bytes.size() >> 8);
  bytes[3] = static_cast<uint8_t>(bytes.size());
  return bytes;
}

IpAddress attacker(uint32_t n) {
  return IpAddress::from_v4(0x0a000000 + n);  // 10.0.0.0/8
}

struct DecodeStateAttack : test::DecodeFixture {
  const IpAddress listed = *IpAddress::parse("192.0.2.100");

  DecodeStateAttack() {
    TemplateLimits with_list;
    with_list.admission.listed = [address = listed](const IpAddress& a) { return a == address; };
    reset(with_list);
  }

  void feed_from(const IpAddress& exporter, const std::vector<uint8_t>& bytes) {
    decoder->decode(Datagram{exporter, 2055, bytes, now}, out);
  }

  // v9, then IPFIX, each with a data set held until its template comes: six
  // records, two of them held first.
  void expect_decodes_everything(const IpAddress& exporter) {
    const size_t before = out.size();
    const uint64_t released = stats.pending_decoded.value();
    feed_from(exporter, test::hex(test::kV9DataOnly));
    feed_from(exporter, test::hex(test::kV9TemplateAndData));
    feed_from(exporter, ipfix_data_only());
    feed_from(exporter, test::hex(test::kIpfixTemplateAndData));
    EXPECT_EQ(out.size() - before, 6u) << exporter.to_string();
    EXPECT_EQ(stats.pending_decoded.value() - released, 2u) << exporter.to_string();
  }

  void expect_within_caps() const {
    const TemplateCache& cache = decoder->cache();
    EXPECT_LE(cache.exporter_count(), limits.exporters);
    EXPECT_LE(cache.domain_count(), limits.domains_total);
    EXPECT_LE(cache.template_count(), limits.templates_total);
    EXPECT_LE(cache.pending_bytes(), limits.pending.bytes_total);
  }

  // Past the template lifetime: the attack's state has all expired.
  void let_everything_expire() { now += limits.template_lifetime + 1s; }
};

TEST_F(DecodeStateAttack, TemplateFloodLocksNoExporterOut) {
  const IpAddress flooder = attacker(1);
  for (uint32_t domain = 0; domain < 64; ++domain) feed_from(flooder, ipfix_template_flood(domain));
  EXPECT_EQ(decoder->templates_active(), limits.templates_total);
  expect_decodes_everything(listed);
  for (uint32_t domain = 0; domain < 64; ++domain) feed_from(flooder, ipfix_template_flood(domain));
  EXPECT_GT(errors(DecodeError::kTemplateCapExceeded), 0u);  // the flood cannot evict a listed exporter
  const size_t before = out.size();
  feed_from(listed, test::hex(test::kV9DataOnly));
  EXPECT_EQ(out.size() - before, 1u);  // its templates stayed
  expect_within_caps();

  let_everything_expire();
  feed_from(attacker(3), test::hex(test::kV5TwoRecords));  // needs no room: only the sweep frees
  EXPECT_EQ(decoder->templates_active(), 0u);
  expect_decodes_everything(attacker(2));
  expect_decodes_everything(listed);
  EXPECT_EQ(decoder->templates_active(), 4u);
  expect_within_caps();
}

TEST_F(DecodeStateAttack, DomainFloodLocksNoExporterOut) {
  for (uint32_t a = 0; a < 256; ++a) {
    for (uint32_t source = 0; source < 64; ++source) feed_from(attacker(a), v9_header(source));
  }
  EXPECT_EQ(decoder->cache().domain_count(), limits.domains_total);
  expect_decodes_everything(listed);
  expect_decodes_everything(attacker(1000));  // the least recently seen flooder made room
  expect_within_caps();

  let_everything_expire();
  expect_decodes_everything(attacker(1001));
  expect_decodes_everything(listed);
  EXPECT_EQ(decoder->cache().domain_count(), 4u);  // two exporters, two domains each
  EXPECT_EQ(decoder->cache().exporter_count(), 2u);
}

TEST_F(DecodeStateAttack, SpoofedV5ExporterFloodLocksNoExporterOut) {
  const auto v5 = test::hex(test::kV5TwoRecords);
  for (uint32_t a = 0; a < 4096; ++a) feed_from(attacker(a), v5);
  EXPECT_EQ(decoder->cache().exporter_count(), limits.exporters);
  expect_decodes_everything(listed);
  expect_decodes_everything(attacker(5000));
  for (uint32_t a = 10'000; a < 10'000 + 4096; ++a) feed_from(attacker(a), v5);
  const size_t before = out.size();
  feed_from(listed, test::hex(test::kV9DataOnly));
  feed_from(attacker(5000), test::hex(test::kV9DataOnly));
  EXPECT_EQ(out.size() - before, 2u);  // v9 state outlived a second flood: v5 never evicts
  EXPECT_EQ(errors(DecodeError::kExporterCapExceeded), 0u);
  expect_within_caps();

  let_everything_expire();
  expect_decodes_everything(attacker(20'000));
  expect_decodes_everything(listed);
  EXPECT_EQ(decoder->cache().exporter_count(), 2u);
}

TEST_F(DecodeStateAttack, SilentExportersHeldDataExpiresAndLocksNoExporterOut) {
  for (uint32_t a = 0; a < 32; ++a) {
    for (int n = 0; n < 70; ++n) feed_from(attacker(a), v9_orphan_data(8000));
  }
  EXPECT_GT(errors(DecodeError::kPendingOverflow), 0u);
  EXPECT_GE(decoder->cache().pending_bytes(), limits.pending.unlisted_bytes_total() - 2 * 8192);
  const size_t flood_held = decoder->cache().pending_bytes() / PendingSets::held_bytes(8000);
  expect_decodes_everything(listed);  // held in the room kept for listed exporters
  expect_within_caps();

  now += limits.pending.max_age + 1s;  // the flooders are silent, their exporters not yet expired
  expect_decodes_everything(attacker(100));
  EXPECT_EQ(errors(DecodeError::kPendingExpired), flood_held);
  EXPECT_LT(decoder->cache().pending_bytes(), 2 * 8192u);
  const size_t before = out.size();
  feed_from(listed, test::hex(test::kV9DataOnly));
  EXPECT_EQ(out.size() - before, 1u);
}

TEST_F(DecodeStateAttack, HeldDataCountsItsBookkeepingNotJustPayload) {
  std::vector<uint8_t> sets = v9_header(1, 200 * 5);
  for (int n = 0; n < 200; ++n) {
    put16(sets, 256);
    put16(sets, 5);
    sets.push_back(0x01);
  }
  feed_from(attacker(1), sets);
  EXPECT_EQ(stats.pending_held.value(), 200u);
  EXPECT_GE(decoder->cache().pending_bytes(), 200 * (sizeof(PendingSet) + 1));
  EXPECT_EQ(decoder->cache().pending_bytes(), 200 * PendingSets::held_bytes(1));
}

TEST_F(DecodeStateAttack, UnlistedExportersGetNoStateWhenRefused) {
  limits.admission.accept_unknown = false;
  reset(limits);
  const size_t before = out.size();
  feed_from(attacker(1), test::hex(test::kV9TemplateAndData));
  feed_from(attacker(1), test::hex(test::kV5TwoRecords));
  EXPECT_EQ(out.size() - before, 2u);  // v5 decodes without state; enrich then refuses it
  EXPECT_EQ(errors(DecodeError::kUnlistedExporter), 1u);
  EXPECT_EQ(decoder->cache().exporter_count(), 0u);
  expect_decodes_everything(listed);
  EXPECT_EQ(decoder->cache().exporter_count(), 1u);
}

TEST(TemplateLimits, MemoryBoundIsTheReadmesAndDividesOverWorkers) {
  const TemplateLimits defaults;
  EXPECT_LE(defaults.memory_bound(), size_t{95} << 20);  // README: "at most about 95 MiB"
  const TemplateLimits quarter = defaults.divided(4);
  EXPECT_EQ(quarter.templates_total, defaults.templates_total / 4);
  EXPECT_EQ(quarter.exporters, defaults.exporters / 4);
  EXPECT_EQ(quarter.domains_total, defaults.domains_total / 4);
  EXPECT_EQ(quarter.pending.bytes_total, defaults.pending.bytes_total / 4);
  EXPECT_EQ(quarter.interfaces_total, defaults.interfaces_total / 4);
  EXPECT_EQ(quarter.vrfs_total, defaults.vrfs_total / 4);
  EXPECT_LE(4 * quarter.memory_bound(), defaults.memory_bound());
}

TEST(TemplateLimits, MemoryBoundCountsEveryNameTable) {
  const TemplateLimits defaults;
  TemplateLimits without = defaults;
  without.interfaces_total = 0;
  EXPECT_LT(without.memory_bound(), defaults.memory_bound());
  without = defaults;
  without.vrfs_total = 0;
  EXPECT_LT(without.memory_bound(), defaults.memory_bound());
}

}  // namespace
}  // namespace flowd
