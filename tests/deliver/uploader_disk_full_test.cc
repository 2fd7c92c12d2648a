// The uploader with its spool on a small tmpfs that fills up while the API is
// up: no record is sent twice, none is lost, new ones wait in memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "delivery_fixture.h"
#include "onefirewall_flowd/deliver/uploader.h"
#include "small_disk.h"

namespace flowd::testing {
namespace {

class UploaderDiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{"Bearer good", 15, 1000ms});
  }
  void TearDown() override {
    if (uploader_) uploader_->stop();
    uploader_.reset();
    EXPECT_EQ(server_->contract_violations(), 0u);
  }
  void start() {
    UploaderSettings s;
    s.http.url = server_->url();
    s.http.ca_file = server_->ca_file();
    s.http.concurrency = 8;
    s.http.timeout = 5s;
    s.rate_limit_requests = 15;
    s.rate_limit_period = 1000ms;
    s.spool_dir = disk_.path() / "spool";
    s.spool_max_size = 2 << 20;
    s.queue_capacity = 10'000;
    s.backoff_base = 100ms;
    s.backoff_max = 1s;
    uploader_ = std::make_unique<Uploader>(s, "Bearer good", stats_);
    uploader_->start();
  }
  void enqueue(const std::vector<std::string>& bodies) {
    for (const auto& b : bodies) ASSERT_TRUE(uploader_->enqueue(admission_of(b)));
  }

  itest::TempDir dir_;
  SmallDisk disk_{dir_ / "disk", 4 << 20};
  std::unique_ptr<TestApiServer> server_;
  DeliverStats stats_;
  std::unique_ptr<Uploader> uploader_;
};

TEST_F(UploaderDiskFullTest, NothingIsSentTwiceOrLostAndNewRecordsWaitInMemoryUntilSpaceReturns) {
  if (!disk_.mounted()) GTEST_SKIP() << disk_.skip_reason();
  server_->set_latency(1500ms);
  start();
  const auto first = record_bodies(0, 30);
  enqueue(first);
  // Requests are out when the disk fills; their answers come after.
  ASSERT_TRUE(wait_for([&] { return stats_.requests.value() >= 8; }, 5s));
  disk_.fill();
  const auto second = record_bodies(30, 60);
  enqueue(second);
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolError), 0u) << "new records wait in memory";
  EXPECT_GE(stats_.queue_depth.value(), second.size());

  disk_.release();
  server_->set_latency(0ms);
  auto all = first;
  all.insert(all.end(), second.begin(), second.end());
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, all) && stats_.queue_depth.value() == 0; }, 20s));
  auto accepted = server_->accepted_bodies();
  EXPECT_EQ(accepted.size(), all.size()) << "every record accepted exactly once";
  EXPECT_EQ(std::set(accepted.begin(), accepted.end()).size(), all.size());

  // A restart sends nothing again.
  uploader_->stop();
  uploader_.reset();
  const size_t requests = server_->requests().size();
  start();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(server_->requests().size(), requests);
  EXPECT_EQ(stats_.queue_depth.value(), 0u);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolError), 0u);
}

}  // namespace
}  // namespace flowd::testing
