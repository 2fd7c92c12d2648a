#include <gtest/gtest.h>

#include "config_test_util.h"
#include "onefirewall_flowd/config/units.h"

namespace flowd {
namespace {

using std::chrono::milliseconds;
using testing::parse;

std::vector<std::string> as_text(const std::vector<Cidr>& networks) {
  std::vector<std::string> text;
  text.reserve(networks.size());
  for (const Cidr& network : networks) text.push_back(network.to_string());
  return text;
}

TEST(ConfigDefaults, MatchDesign) {
  const Config config = Config::defaults();
  ASSERT_EQ(config.listen.size(), 2u);
  EXPECT_EQ(format_endpoint(config.listen[0]), "0.0.0.0:2055");
  EXPECT_EQ(format_endpoint(config.listen[1]), "[::]:2055");
  EXPECT_TRUE(config.listen_tcp.empty()) << "no TCP listener unless asked for";
  EXPECT_EQ(config.workers, 0u);
  EXPECT_EQ(config.receive_buffer, 32u << 20);
  EXPECT_TRUE(config.accept_unknown_exporters);
  EXPECT_EQ(config.exporter_silent_after, std::chrono::minutes{5});
  EXPECT_EQ(config.exporter_defaults.internal_networks, Config::default_internal_networks());
  EXPECT_TRUE(config.exporter_defaults.outside_interfaces.empty());
  EXPECT_EQ(config.exporter_defaults.default_action, Action::kAllow);
  EXPECT_FALSE(config.exporter_defaults.output_interface_zero_is_deny);
  EXPECT_TRUE(config.exporters.empty());
  EXPECT_TRUE(config.service_overrides.empty());
  EXPECT_EQ(config.reduce_window, milliseconds{3'600'000});
  EXPECT_EQ(config.reduce_capacity, 1'000'000u);
  EXPECT_EQ(config.queue_capacity, 100'000u);
  EXPECT_EQ(config.spool_path, "/var/lib/onefirewall-flowd");
  EXPECT_EQ(config.spool_max_size, 1ull << 30);
  EXPECT_EQ(config.template_lifetime, milliseconds{1'800'000});
  EXPECT_TRUE(config.templates_persist);
  EXPECT_EQ(config.api.url, "https://app.onefirewall.com/api/v1/poc_traffic/direct");
  EXPECT_EQ(config.api.token_file, "/etc/onefirewall-flowd/token");
  EXPECT_EQ(config.api.rate_limit_requests, 150u);
  EXPECT_EQ(config.api.rate_limit_period, milliseconds{10'000});
  EXPECT_EQ(config.api.concurrency, 8u);
  EXPECT_EQ(config.api.timeout, milliseconds{10'000});
  EXPECT_EQ(config.api.max_retry_after, milliseconds{300'000});
  EXPECT_EQ(config.api.host_memory, milliseconds{86'400'000});
  EXPECT_EQ(config.api.host_memory_limit, 1'000'000u);
  EXPECT_EQ(config.api.max_age, milliseconds{86'400'000});
  EXPECT_EQ(config.api.ca_file, "");
  EXPECT_FALSE(config.api.send_ipv6);
  EXPECT_EQ(format_endpoint(config.metrics_listen), "127.0.0.1:9740");
  EXPECT_EQ(config.log_level, LogLevel::kInfo);
}

TEST(ConfigDefaults, InternalNetworksAreTheDesignOnes) {
  EXPECT_EQ(as_text(Config::default_internal_networks()),
            (std::vector<std::string>{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                                      "169.254.0.0/16", "fc00::/7", "fe80::/10"}));
}

Config defaults_from(const std::string& file) {
  Config config = Config::defaults();
  config.source_file = file;
  return config;
}

TEST(ConfigDefaults, EmptyTextGivesDefaults) {
  EXPECT_EQ(parse(""), defaults_from("test.yaml"));
}

TEST(ConfigDefaults, CommentsOnlyGiveDefaults) {
  EXPECT_EQ(parse("# nothing here\n\n   # indented comment\n"), defaults_from("test.yaml"));
}

TEST(ConfigDefaults, EmptyDocumentGivesDefaults) {
  EXPECT_EQ(parse("---\n"), defaults_from("test.yaml"));
  EXPECT_EQ(parse("---\n...\n"), defaults_from("test.yaml"));
  EXPECT_EQ(parse("{}\n"), defaults_from("test.yaml"));
}

TEST(ConfigDefaults, EmptySectionsKeepDefaults) {
  const std::string yaml =
      "exporters:\n  defaults:\n  list:\nservices:\n  overrides:\nreduce:\nqueue: {}\nspool:\n"
      "templates:\napi:\n  rate_limit:\nmetrics:\nlog:\n";
  EXPECT_EQ(parse(yaml), defaults_from("test.yaml"));
}

TEST(LogLevelNames, RoundTrip) {
  for (LogLevel level : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                         LogLevel::kError, LogLevel::kCritical, LogLevel::kOff}) {
    EXPECT_EQ(parse_log_level(to_string(level)), level);
  }
  EXPECT_EQ(parse_log_level("warning"), std::nullopt);
}

}  // namespace
}  // namespace flowd
