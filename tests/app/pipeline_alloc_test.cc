// A datagram in steady state costs no heap allocation: once its exporter,
// templates and conversations are known, decode, enrich, reduce and the sink
// reuse what they hold. This binary replaces the global operator new and
// delete with counting versions.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "decode/hex.h"
#include "decode/ipfix_vectors.h"
#include "decode/v5_vectors.h"
#include "decode/v9_vectors.h"
#include "onefirewall_flowd/app/pipeline.h"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};

void* allocate(std::size_t size, std::size_t alignment = 0) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  void* p = alignment > alignof(std::max_align_t)
                ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                : std::malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace flowd {
namespace {

constexpr size_t kWarmUp = 50;
constexpr size_t kSteady = 1000;

void put_u32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
  for (size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// A protocol's steady traffic: the datagram to send next, with the export
// sequence numbers an exporter would give it.
struct Traffic {
  std::vector<uint8_t> bytes;
  size_t sequence_at;
  uint32_t sequence;
  uint32_t sequence_step;

  const std::vector<uint8_t>& next() {
    put_u32(bytes, sequence_at, sequence);
    sequence += sequence_step;
    return bytes;
  }
};

struct PipelineAllocTest : ::testing::Test {
  std::FILE* out = std::fopen("/dev/null", "w");
  StdoutSink sink{out};
  PipelineStats stats;
  Config config = Config::defaults();
  const IpAddress exporters[2] = {*IpAddress::parse("192.0.2.1"), *IpAddress::parse("192.0.2.2")};

  ~PipelineAllocTest() override { std::fclose(out); }

  void process(Pipeline& pipeline, const std::vector<uint8_t>& bytes, size_t i) {
    pipeline.process(Datagram{exporters[i % 2], 2055, bytes, std::chrono::system_clock::now()});
  }

  // Allocations made by kSteady datagrams after kWarmUp of the same traffic.
  size_t steady_allocations(Pipeline& pipeline, Traffic first, Traffic second) {
    for (size_t i = 0; i < kWarmUp; ++i) process(pipeline, (i % 2 ? second : first).next(), i);
    g_allocations = 0;
    g_counting = true;
    for (size_t i = 0; i < kSteady; ++i) process(pipeline, (i % 2 ? second : first).next(), i);
    g_counting = false;
    return g_allocations.load();
  }

  Traffic v5() { return {test::hex(test::kV5TwoRecords), 16, 42, 2}; }
  Traffic v9() { return {test::hex(test::kV9DataOnly), 12, 8, 1}; }
  Traffic ipfix() { return {test::ipfix_data_only(), 8, 2, 2}; }

  // Teaches both exporters the v9 and IPFIX templates.
  void learn_templates(Pipeline& pipeline) {
    for (size_t i = 0; i < 2; ++i) {
      process(pipeline, test::hex(test::kV9TemplateAndData), i);
      process(pipeline, test::hex(test::kIpfixTemplateAndData), i);
    }
  }

  void expect_steady_state_without_allocations(Traffic traffic, bool learn) {
    for (const bool reduce_on : {true, false}) {
      SCOPED_TRACE(reduce_on ? "reduce deduplicates every conversation"
                             : "reduce off: every record is written");
      config.reduce_window =
          reduce_on ? std::chrono::milliseconds(std::chrono::hours(1)) : std::chrono::milliseconds(0);
      Pipeline pipeline(config, stats, sink);
      const uint64_t written_before = sink.written();
      if (learn) learn_templates(pipeline);
      EXPECT_EQ(steady_allocations(pipeline, traffic, traffic), 0u);
      const uint64_t written = sink.written() - written_before;
      // The path under test ran: records came out during the warm-up, or all the time with reduce off.
      EXPECT_GT(written, 0u);
      if (!reduce_on) {
        EXPECT_GE(written, kSteady);
      }
    }
  }
};

TEST_F(PipelineAllocTest, NetflowV5) {
  expect_steady_state_without_allocations(v5(), false);
}

TEST_F(PipelineAllocTest, NetflowV9) {
  expect_steady_state_without_allocations(v9(), true);
  EXPECT_EQ(stats.decode.pending_held.value(), 0u) << "data waited for its template: not the steady state";
}

TEST_F(PipelineAllocTest, Ipfix) {
  expect_steady_state_without_allocations(ipfix(), true);
  EXPECT_EQ(stats.decode.pending_held.value(), 0u) << "data waited for its template: not the steady state";
}

// Exporters resend their templates every few seconds: an unchanged template
// is refreshed in place, not parsed into a new one.
TEST_F(PipelineAllocTest, NetflowV9TemplateRefresh) {
  expect_steady_state_without_allocations({test::hex(test::kV9TemplateAndData), 12, 8, 1}, false);
  EXPECT_GE(stats.decode.templates_learned.value(), 2 * (kWarmUp + kSteady)) << "every datagram refreshed";
}

TEST_F(PipelineAllocTest, IpfixTemplateRefresh) {
  expect_steady_state_without_allocations({test::hex(test::kIpfixTemplateAndData), 8, 2, 2}, false);
  EXPECT_GE(stats.decode.templates_learned.value(), 2 * (kWarmUp + kSteady)) << "every datagram refreshed";
}

// The counting itself works: a datagram from a new exporter allocates its series.
TEST_F(PipelineAllocTest, CountsTheAllocationsOfANewExporter) {
  Pipeline pipeline(config, stats, sink);
  process(pipeline, test::hex(test::kV5TwoRecords), 0);
  const std::vector<uint8_t> bytes = test::hex(test::kV5TwoRecords);
  g_allocations = 0;
  g_counting = true;
  pipeline.process(
      Datagram{*IpAddress::parse("198.51.100.77"), 2055, bytes, std::chrono::system_clock::now()});
  g_counting = false;
  EXPECT_GT(g_allocations.load(), 0u);
}

}  // namespace
}  // namespace flowd
