// Receive workers over real loopback sockets: one port shared by every
// worker, one reduce memory, templates restored into each.
#include "onefirewall_flowd/app/worker_pool.h"
#include "wait_until.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

#include "app/named_exporters.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "decode/v9_vectors.h"
#include "onefirewall_flowd/app/template_file.h"

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

constexpr size_t kSenders = 16;  // distinct source ports: all on one worker has odds of 2^-15

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) out += static_cast<char>(c);
  return out;
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

using test::wait_until;

struct WorkerPoolTest : ::testing::Test {
  std::FILE* out = std::tmpfile();
  StdoutSink sink{out};
  ReduceStats reduce;
  Config config = test::config_naming({"127.0.0.1"}, "lab-fw");
  SharedStages shared{config, reduce, sink};
  std::atomic<int> failures{0};
  std::unique_ptr<WorkerPool> pool;

  ~WorkerPoolTest() override {
    pool.reset();
    std::fclose(out);
  }

  uint16_t start(size_t workers) {
    pool = std::make_unique<WorkerPool>(workers, config, shared, [this](const std::string&) { ++failures; });
    pool->listen({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
    pool->start();
    return pool->worker(0).local_endpoints().at(0).port();
  }

  // Sends the payload once from each of kSenders sockets.
  static void send_from_many(uint16_t port, const std::vector<uint8_t>& payload) {
    boost::asio::io_context io;
    for (size_t i = 0; i < kSenders; ++i) {
      ip::udp::socket s(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
      s.send_to(boost::asio::buffer(payload), ip::udp::endpoint(ip::address_v4::loopback(), port));
    }
  }

  [[nodiscard]] uint64_t total_datagrams() const {
    WorkerStats total;
    pool->add_stats_to(total);
    return total.decode.datagrams.value();
  }
};

TEST_F(WorkerPoolTest, EveryWorkerBindsTheKernelChosenPortOfTheFirst) {
  const uint16_t port = start(3);
  ASSERT_NE(port, 0);
  for (size_t i = 0; i < pool->size(); ++i) EXPECT_EQ(pool->worker(i).local_endpoints().at(0).port(), port);
}

TEST_F(WorkerPoolTest, SendersSpreadOverWorkersAndReduceStaysShared) {
  const uint16_t port = start(2);
  send_from_many(port, test::hex(test::kV5TwoRecords));
  ASSERT_TRUE(wait_until([&] { return total_datagrams() == kSenders; })) << total_datagrams();
  pool->stop();
  pool->join();
  EXPECT_GT(pool->worker(0).stats().net.datagrams.value(), 0u);
  EXPECT_GT(pool->worker(1).stats().net.datagrams.value(), 0u);
  EXPECT_EQ(count_of(contents(out), "\n"), 2u) << "one record per conversation over both workers";
  EXPECT_EQ(reduce.deduplicated.value(), 2 * kSenders - 2);
  std::map<IpAddress, ExporterCounts> totals;
  ExporterCounts other;
  pool->add_exporters_to(totals, other);
  EXPECT_EQ(totals.at(*IpAddress::parse("127.0.0.1")).packets, kSenders);
  EXPECT_EQ(totals.at(*IpAddress::parse("127.0.0.1")).flows, 2 * kSenders);
}

TEST_F(WorkerPoolTest, ASecondPoolCannotTakeTheSamePort) {
  const uint16_t port = start(2);
  WorkerPool second(2, config, shared, [](const std::string&) {});
  try {
    second.listen({{*IpAddress::parse("127.0.0.1"), port}}, 1 << 20);
    FAIL() << "a second pool joined a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1 port " + std::to_string(port)), std::string::npos)
        << e.what();
  }
}

TEST_F(WorkerPoolTest, RestoredTemplatesReachEveryWorker) {
  PipelineStats scratch_stats;
  Pipeline teacher(config, scratch_stats, sink);
  teacher.process(Datagram{*IpAddress::parse("127.0.0.1"), 1, test::hex(test::kV9TemplateAndData),
                           std::chrono::system_clock::now()});
  std::fflush(out);
  const long before = std::ftell(out);
  pool = std::make_unique<WorkerPool>(2, config, shared, [](const std::string&) {});
  EXPECT_EQ(pool->load_templates(teacher.save_templates()), 1u);
  EXPECT_EQ(pool->templates_active(), 2u);
  pool->listen({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
  pool->start();
  send_from_many(pool->worker(0).local_endpoints().at(0).port(), test::hex(test::kV9DataOnly));
  ASSERT_TRUE(wait_until([&] { return total_datagrams() == kSenders; }));
  pool->stop();
  pool->join();
  WorkerStats total;
  pool->add_stats_to(total);
  EXPECT_EQ(total.decode.flows.value(), kSenders);
  EXPECT_EQ(total.decode.pending_held.value(), 0u);
  EXPECT_GT(std::ftell(out), before);
}

TEST_F(WorkerPoolTest, SavedTemplatesOfAllWorkersMergeIntoOneLoadableSave) {
  DecodeStats stats[2];
  Decoder v9(stats[0]), firewall(stats[1]);
  std::vector<FlowRecord> flows;
  v9.decode(Datagram{*IpAddress::parse("192.0.2.1"), 1, test::hex(test::kV9TemplateAndData),
                     std::chrono::system_clock::now()},
            flows);
  firewall.decode(Datagram{*IpAddress::parse("192.0.2.2"), 1, test::hex(test::kV9Firewall),
                           std::chrono::system_clock::now()},
                  flows);
  const auto now = std::chrono::system_clock::now();
  const std::vector<std::vector<uint8_t>> saves = {v9.save_templates(now), firewall.save_templates(now),
                                                   v9.save_templates(now)};
  const auto merged = merge_template_saves(saves, TemplateLimits{});
  DecodeStats fresh_stats;
  Decoder fresh(fresh_stats);
  EXPECT_EQ(fresh.load_templates(merged, now), 3u);  // 256, and the firewall's 257 and 258; no duplicate
  EXPECT_EQ(fresh.templates_active(), 3u);
}

TEST_F(WorkerPoolTest, RunningWorkersHandTheirTemplatesToTheSave) {
  const uint16_t port = start(2);
  send_from_many(port, test::hex(test::kV9TemplateAndData));
  ASSERT_TRUE(wait_until([&] { return total_datagrams() == kSenders; }));
  const auto saved = pool->save_templates(TemplateLimits{}, 5s);
  ASSERT_TRUE(saved.has_value());
  DecodeStats fresh_stats;
  Decoder fresh(fresh_stats);
  EXPECT_EQ(fresh.load_templates(*saved, std::chrono::system_clock::now()), 1u);
}

TEST_F(WorkerPoolTest, ReloadRenamesTheFirewallInEveryWorker) {
  const uint16_t port = start(2);
  pool->reconfigure(test::config_naming({"127.0.0.1"}, "renamed"));
  for (size_t i = 0; i < pool->size(); ++i) pool->worker(i).submit([](Pipeline&) { return 0; }).wait();
  send_from_many(port, test::hex(test::kV5TwoRecords));
  ASSERT_TRUE(wait_until([&] { return total_datagrams() == kSenders; }));
  pool->stop();
  pool->join();
  const std::string text = contents(out);
  EXPECT_EQ(count_of(text, R"("firewall":"renamed")"), 2u) << text;
}

TEST_F(WorkerPoolTest, AFailingSinkIsReportedOnce) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "no /dev/full";
  StdoutSink failing(full);
  SharedStages failing_stages(config, reduce, failing);
  std::atomic<int> reported{0};
  std::string why;
  pool = std::make_unique<WorkerPool>(1, config, failing_stages, [&](const std::string& w) {
    why = w;
    ++reported;
  });
  pool->listen({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
  pool->start();
  send_from_many(pool->worker(0).local_endpoints().at(0).port(), test::hex(test::kV5TwoRecords));
  ASSERT_TRUE(wait_until([&] { return total_datagrams() == kSenders; }));
  pool->stop();
  pool->join();
  pool.reset();
  std::fclose(full);
  EXPECT_EQ(reported.load(), 1);
  EXPECT_EQ(why, "cannot write records to stdout");
}

TEST(WorkerCount, ZeroLeavesOneCoreToTheKernelAndStartsAtLeastOne) {
  EXPECT_EQ(worker_count(3, 8), 3u);
  EXPECT_EQ(worker_count(3, 1), 3u);
  EXPECT_EQ(worker_count(0, 8), 7u);
  EXPECT_EQ(worker_count(0, 2), 1u);
  EXPECT_EQ(worker_count(0, 1), 1u);
  EXPECT_EQ(worker_count(0, 0), 1u);  // core count unknown
  EXPECT_EQ(worker_count(0), worker_count(0, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace flowd
