// templates.persist: a restarted daemon decodes v9 data at once, with the
// templates it saved before stopping; with one worker and with four, whose
// templates are saved as one file and restored into each.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v9_vectors.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

// Data-only datagrams from this many source sockets: with four workers, all
// of them reaching one worker has odds of 4^-7.
constexpr size_t kDataSenders = 8;

class TemplatePersistenceTest : public ::testing::TestWithParam<int> {
 protected:
  TempDir dir_;
  uint16_t port_ = free_udp_port();

  std::unique_ptr<ChildProcess> start(bool persist, const std::string& name) {
    const auto config = dir_ / (name + ".yaml");
    // Reduce off: every decoded flow is a line of output.
    write_file(config, "listen: [\"127.0.0.1:" + std::to_string(port_) + "\"]\n" +
                           "workers: " + std::to_string(GetParam()) + "\n" + "reduce: {window: 0}\n" +
                           "metrics: {listen: \"127.0.0.1:" + std::to_string(free_tcp_port()) + "\"}\n" +
                           "spool: {path: " + dir_.path().string() + "}\n" +
                           "templates: {persist: " + (persist ? "true" : "false") + "}\n");
    auto daemon = std::make_unique<ChildProcess>(
        std::vector<std::string>{FLOWD_BINARY, "--dry-run", "--config", config.string()},
        dir_ / (name + ".out"), dir_ / (name + ".err"));
    EXPECT_TRUE(wait_for_file_containing(dir_ / (name + ".err"), "listening on udp", 10s))
        << daemon->stderr_text();
    return daemon;
  }

  static void stop(ChildProcess& daemon) {
    daemon.send_signal(SIGTERM);
    const auto status = daemon.wait_for_exit(10s);
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  }

  // The first daemon learns template 256 from a datagram with data, then stops.
  void learn_template(bool persist) {
    auto first = start(persist, "first");
    ASSERT_TRUE(send_udp(port_, {test::hex(test::kV9TemplateAndData)}));
    ASSERT_TRUE(wait_until([&] { return split_lines(first->stdout_text()).size() == 1; }, 10s))
        << first->stderr_text();
    stop(*first);
  }
};

constexpr const char* kDataOnlyRecord =
    R"({"firewall":"127.0.0.1","direction":"outbound","src_ip":"192.168.10.6","dst_ip":"198.51.100.2",)"
    R"("src_port":40001,"dst_port":80,"service":"http","action":"Allow"})";

TEST_P(TemplatePersistenceTest, RestartedDaemonDecodesDataWithTheSavedTemplate) {
  learn_template(true);
  ASSERT_TRUE(std::filesystem::exists(dir_ / "templates.bin"));
  auto second = start(true, "second");
  EXPECT_NE(second->stderr_text().find("templates: restored 1 from"), std::string::npos)
      << second->stderr_text();
  // Each from its own source port, so with several workers each may reach another one.
  for (size_t i = 0; i < kDataSenders; ++i) ASSERT_TRUE(send_udp(port_, {test::hex(test::kV9DataOnly)}));
  ASSERT_TRUE(wait_until([&] { return split_lines(second->stdout_text()).size() == kDataSenders; }, 10s))
      << second->stdout_text() << second->stderr_text();
  stop(*second);
  EXPECT_EQ(split_lines(second->stdout_text()), std::vector<std::string>(kDataSenders, kDataOnlyRecord));
}

TEST_P(TemplatePersistenceTest, WithoutPersistenceDataWaitsForItsTemplate) {
  learn_template(false);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "templates.bin"));
  auto second = start(false, "second");
  // One exporter socket, as a router has: its datagrams stay on one worker.
  UdpSender exporter;
  ASSERT_TRUE(exporter.send(port_, test::hex(test::kV9DataOnly)));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(second->stdout_text(), "");
  // The held data is decoded as soon as the exporter resends its template.
  ASSERT_TRUE(exporter.send(port_, test::hex(test::kV9TemplateAndData)));
  ASSERT_TRUE(wait_until([&] { return split_lines(second->stdout_text()).size() == 2; }, 10s))
      << second->stdout_text();
  stop(*second);
  EXPECT_NE(second->stdout_text().find(kDataOnlyRecord), std::string::npos) << second->stdout_text();
}

INSTANTIATE_TEST_SUITE_P(Workers, TemplatePersistenceTest, ::testing::Values(1, 4),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + (info.param == 1 ? "Worker" : "Workers");
                         });

}  // namespace
}  // namespace flowd::itest
