// Pipelines of several workers feeding one reduce memory and one sink.
#include "onefirewall_flowd/app/shared_stages.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "app/named_exporters.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "onefirewall_flowd/app/pipeline.h"

namespace flowd {
namespace {

size_t lines_in(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  size_t lines = 0;
  for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) lines += c == '\n';
  return lines;
}

struct SharedStagesTest : ::testing::Test {
  std::FILE* out = std::tmpfile();
  StdoutSink sink{out};
  ReduceStats reduce;
  DecodeStats decode[2];
  EnrichStats enrich[2];
  Config config = test::config_naming({"192.0.2.1", "192.0.2.2"}, "edge-fw");
  std::vector<uint8_t> bytes = test::hex(test::kV5TwoRecords);

  Datagram from(const char* exporter) { return Datagram{*IpAddress::parse(exporter), 2055, bytes, {}}; }
  ~SharedStagesTest() override { std::fclose(out); }
};

TEST_F(SharedStagesTest, TwoWorkersSharingAFirewallNameGiveOneRecordPerConversation) {
  SharedStages shared(config, reduce, sink);
  Pipeline first(config, decode[0], enrich[0], shared);
  Pipeline second(config, decode[1], enrich[1], shared);
  EXPECT_TRUE(first.process(from("192.0.2.1")));
  EXPECT_TRUE(second.process(from("192.0.2.2")));
  EXPECT_EQ(lines_in(out), 2u);
  EXPECT_EQ(reduce.passed.value(), 2u);
  EXPECT_EQ(reduce.deduplicated.value(), 2u);
  // Each worker counts its own decoding and exporters.
  EXPECT_EQ(decode[0].flows.value(), 2u);
  EXPECT_EQ(decode[1].flows.value(), 2u);
  EXPECT_EQ(first.exporters().snapshot().count(*IpAddress::parse("192.0.2.2")), 0u);
  EXPECT_EQ(second.exporters().snapshot().at(*IpAddress::parse("192.0.2.2")).packets, 1u);
}

TEST_F(SharedStagesTest, ReloadKeepsTheReduceMemoryUnlessItsSettingsChange) {
  SharedStages shared(config, reduce, sink);
  Pipeline worker(config, decode[0], enrich[0], shared);
  worker.process(from("192.0.2.1"));
  shared.reconfigure(config);
  worker.process(from("192.0.2.1"));
  EXPECT_EQ(reduce.passed.value(), 2u);
  config.reduce_window = std::chrono::minutes(5);
  shared.reconfigure(config);
  worker.process(from("192.0.2.1"));
  EXPECT_EQ(reduce.passed.value(), 4u);
}

TEST_F(SharedStagesTest, AWorkerReloadRenamesItsRecords) {
  SharedStages shared(config, reduce, sink);
  Pipeline worker(config, decode[0], enrich[0], shared);
  worker.set_enricher(
      std::make_unique<Enricher>(test::config_naming({"192.0.2.1", "192.0.2.2"}, "renamed"), enrich[0]));
  worker.process(from("192.0.2.1"));
  std::fflush(out);
  std::rewind(out);
  char line[512] = {};
  ASSERT_NE(std::fgets(line, sizeof line, out), nullptr);
  EXPECT_NE(std::string(line).find(R"("firewall":"renamed")"), std::string::npos) << line;
}

TEST_F(SharedStagesTest, AFailingSinkIsReported) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "no /dev/full";
  StdoutSink failing(full);
  SharedStages shared(config, reduce, failing);
  Pipeline worker(config, decode[0], enrich[0], shared);
  EXPECT_FALSE(worker.process(from("192.0.2.1")));
  std::fclose(full);
}

TEST_F(SharedStagesTest, AdmitKeepsTheOrderOfTheRecordsLetThrough) {
  SharedStages shared(config, reduce, sink);
  std::vector<Event> events(4);
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].firewall = "fw";
    events[i].dst_port = static_cast<uint16_t>(100 + i % 2);  // 100, 101, then repeats
  }
  events[3].dst_port = 102;
  const auto now = Reducer::Clock::now();
  ASSERT_EQ(shared.admit(events, firewall_hash("fw"), now), 3u);
  EXPECT_EQ(events[0].dst_port, 100);
  EXPECT_EQ(events[1].dst_port, 101);
  EXPECT_EQ(events[2].dst_port, 102);
}

}  // namespace
}  // namespace flowd
