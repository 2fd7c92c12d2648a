#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "config_test_util.h"
#include "onefirewall_flowd/config/units.h"

namespace flowd {
namespace {

using std::chrono::milliseconds;
using testing::parse;

Cidr cidr(std::string_view text) {
  return *Cidr::parse(text);
}
IpAddress ip(std::string_view text) {
  return *IpAddress::parse(text);
}

TEST(ParseConfig, ReadsEveryScalarKey) {
  const Config config = parse(R"(
listen: ["127.0.0.1:4739", "[2001:db8::1]:2055"]
listen_tcp: ["0.0.0.0:4739", "[::]:4739"]
workers: 3
receive_buffer: 8MiB
reduce: {window: 0, capacity: 5000}
queue: {capacity: 42}
spool: {path: /tmp/spool, max_size: 2GiB}
templates: {lifetime: 90s, persist: false}
api:
  url: http://127.0.0.1:8080/ingest
  token_file: /run/secrets/token
  rate_limit: {requests: 10, period: 1m}
  concurrency: 64
  timeout: 2500ms
  max_retry_after: 90s
  host_memory: 6h
  host_memory_limit: 5000
  max_age: 30m
  ca_file: /etc/ssl/extra.pem
  client_cert: /etc/onefirewall-flowd/client.pem
  client_key: /etc/onefirewall-flowd/client.key
  send_ipv6: true
metrics: {listen: "[::1]:9100"}
log: {level: debug}
)");
  ASSERT_EQ(config.listen.size(), 2u);
  EXPECT_EQ(format_endpoint(config.listen[0]), "127.0.0.1:4739");
  EXPECT_EQ(format_endpoint(config.listen[1]), "[2001:db8::1]:2055");
  ASSERT_EQ(config.listen_tcp.size(), 2u);
  EXPECT_EQ(format_endpoint(config.listen_tcp[0]), "0.0.0.0:4739");
  EXPECT_EQ(format_endpoint(config.listen_tcp[1]), "[::]:4739");
  EXPECT_EQ(config.workers, 3u);
  EXPECT_EQ(config.receive_buffer, 8u << 20);
  EXPECT_EQ(config.reduce_window, milliseconds{0});
  EXPECT_EQ(config.reduce_capacity, 5000u);
  EXPECT_EQ(config.queue_capacity, 42u);
  EXPECT_EQ(config.spool_path, "/tmp/spool");
  EXPECT_EQ(config.spool_max_size, 2ull << 30);
  EXPECT_EQ(config.template_lifetime, milliseconds{90'000});
  EXPECT_FALSE(config.templates_persist);
  EXPECT_EQ(config.api.url, "http://127.0.0.1:8080/ingest");
  EXPECT_EQ(config.api.token_file, "/run/secrets/token");
  EXPECT_EQ(config.api.rate_limit_requests, 10u);
  EXPECT_EQ(config.api.rate_limit_period, milliseconds{60'000});
  EXPECT_EQ(config.api.concurrency, 64u);
  EXPECT_EQ(config.api.timeout, milliseconds{2500});
  EXPECT_EQ(config.api.max_retry_after, milliseconds{90'000});
  EXPECT_EQ(config.api.host_memory, milliseconds{21'600'000});
  EXPECT_EQ(config.api.host_memory_limit, 5000u);
  EXPECT_EQ(config.api.max_age, milliseconds{1'800'000});
  EXPECT_EQ(config.api.ca_file, "/etc/ssl/extra.pem");
  EXPECT_EQ(config.api.client_cert, "/etc/onefirewall-flowd/client.pem");
  EXPECT_EQ(config.api.client_key, "/etc/onefirewall-flowd/client.key");
  EXPECT_TRUE(config.api.send_ipv6);
  EXPECT_EQ(format_endpoint(config.metrics_listen), "[::1]:9100");
  EXPECT_EQ(config.log_level, LogLevel::kDebug);
  EXPECT_EQ(config.source_file, "test.yaml");
}

TEST(ParseConfig, KeysLeftOutKeepTheirDefaults) {
  const Config config = parse("api: {concurrency: 2}\n");
  Config expected = Config::defaults();
  expected.source_file = "test.yaml";
  expected.api.concurrency = 2;
  EXPECT_EQ(config, expected);
}

TEST(ParseConfig, AcceptsRangeLimits) {
  EXPECT_EQ(parse("workers: 1024\n").workers, 1024u);
  EXPECT_EQ(parse("workers: 0\n").workers, 0u);
  EXPECT_EQ(parse("api: {concurrency: 1}\n").api.concurrency, 1u);
  EXPECT_EQ(parse("receive_buffer: 4KiB\n").receive_buffer, 4096u);
  EXPECT_EQ(parse("receive_buffer: 1GiB\n").receive_buffer, 1ull << 30);
  EXPECT_EQ(parse("spool: {max_size: 1MiB}\n").spool_max_size, 1u << 20);
  EXPECT_EQ(parse("api: {rate_limit: {requests: 4294967295}}\n").api.rate_limit_requests, 4294967295u);
  EXPECT_EQ(parse("api: {host_memory: 1s}\n").api.host_memory, milliseconds{1'000});
  EXPECT_EQ(parse("api: {host_memory: 8760h}\n").api.host_memory, milliseconds{31'536'000'000});
  EXPECT_EQ(parse("api: {max_age: 1000ms}\n").api.max_age, milliseconds{1'000});
  EXPECT_EQ(parse("api: {max_age: 525600m}\n").api.max_age, milliseconds{31'536'000'000});
  EXPECT_EQ(parse("api: {max_retry_after: 1s}\n").api.max_retry_after, milliseconds{1'000});
  EXPECT_EQ(parse("api: {max_retry_after: 1h}\n").api.max_retry_after, milliseconds{3'600'000});
  EXPECT_EQ(parse("api: {host_memory_limit: 1000}\n").api.host_memory_limit, 1000u);
  EXPECT_EQ(parse("api: {host_memory_limit: 100000000}\n").api.host_memory_limit, 100'000'000u);
}

// DESIGN.md, "Delivery order": 0 keeps records until they are delivered.
TEST(ParseConfig, MaxAgeZeroKeepsRecordsUntilDelivered) {
  EXPECT_EQ(parse("api: {max_age: 0}\n").api.max_age, milliseconds{0});
  EXPECT_EQ(parse("api: {max_age: 0s}\n").api.max_age, milliseconds{0});
}

TEST(ParseConfig, BooleansTakeYamlCoreSpellings) {
  EXPECT_TRUE(parse("api: {send_ipv6: True}\n").api.send_ipv6);
  EXPECT_TRUE(parse("api: {send_ipv6: TRUE}\n").api.send_ipv6);
  EXPECT_FALSE(parse("templates: {persist: False}\n").templates_persist);
}

TEST(ParseConfig, QuotedDurationsAndSizesAreFine) {
  const Config config = parse("reduce: {window: \"5m\"}\nreceive_buffer: '64KiB'\n");
  EXPECT_EQ(config.reduce_window, milliseconds{300'000});
  EXPECT_EQ(config.receive_buffer, 64u << 10);
}

TEST(ParseConfig, EmptyTokenFileAndCaFileAreAllowed) {
  const Config config = parse("api: {token_file: \"\", ca_file: \"\"}\n");
  EXPECT_EQ(config.api.token_file, "");
  EXPECT_EQ(config.api.ca_file, "");
}

TEST(ParseConfig, LogLevelsAllParse) {
  EXPECT_EQ(parse("log: {level: trace}\n").log_level, LogLevel::kTrace);
  EXPECT_EQ(parse("log: {level: warn}\n").log_level, LogLevel::kWarn);
  EXPECT_EQ(parse("log: {level: error}\n").log_level, LogLevel::kError);
  EXPECT_EQ(parse("log: {level: critical}\n").log_level, LogLevel::kCritical);
  EXPECT_EQ(parse("log: {level: off}\n").log_level, LogLevel::kOff);
}

TEST(ParseExporters, ListEntriesInheritEachDefaultSeparately) {
  const Config config = parse(R"(
exporters:
  accept_unknown: false
  list:
    - {address: 192.0.2.1, name: inherits-all}
    - address: 192.0.2.2
      name: overrides-some
      internal_networks: [203.0.113.0/24]
      default_action: Allow
  defaults:
    internal_networks: [10.0.0.0/8]
    outside_interfaces: [7, 8]
    default_action: Deny
    output_interface_zero_is_deny: true
)");
  EXPECT_FALSE(config.accept_unknown_exporters);
  const ExporterPolicy defaults{{cidr("10.0.0.0/8")}, {7, 8}, Action::kDeny, true, {}};
  EXPECT_EQ(config.exporter_defaults, defaults);
  ASSERT_EQ(config.exporters.size(), 2u);
  EXPECT_EQ(config.exporters[0].policy, defaults);
  const ExporterPolicy mixed{{cidr("203.0.113.0/24")}, {7, 8}, Action::kAllow, true, {}};
  EXPECT_EQ(config.exporters[1].policy, mixed);
}

TEST(ParseExporters, ListEntriesInheritBuiltInDefaults) {
  const Config config = parse("exporters: {list: [{address: 192.0.2.1, name: fw}]}\n");
  ASSERT_EQ(config.exporters.size(), 1u);
  EXPECT_EQ(config.exporters[0].policy, Config::defaults().exporter_defaults);
}

TEST(ParseExporters, EmptyListsOverrideDefaults) {
  const Config config = parse(
      "exporters:\n  defaults: {outside_interfaces: [3]}\n"
      "  list: [{address: 192.0.2.1, name: fw, internal_networks: [], outside_interfaces: []}]\n");
  EXPECT_TRUE(config.exporters[0].policy.internal_networks.empty());
  EXPECT_TRUE(config.exporters[0].policy.outside_interfaces.empty());
}

TEST(ParseExporters, OutsideInterfacesTakeNamesBesideIndexes) {
  const Config config = parse(
      "exporters:\n  defaults: {outside_interfaces: [3, outside, \"7\", ge-0/0/0, 12]}\n"
      "  list: [{address: 192.0.2.1, name: fw, outside_interfaces: [wan1]}]\n");
  EXPECT_EQ(config.exporter_defaults.outside_interfaces, (std::vector<uint32_t>{3, 12}));
  EXPECT_EQ(config.exporter_defaults.outside_interface_names,
            (std::vector<std::string>{"outside", "7", "ge-0/0/0"}));   // quoted digits are a name
  EXPECT_TRUE(config.exporters[0].policy.outside_interfaces.empty());  // the list replaces both
  EXPECT_EQ(config.exporters[0].policy.outside_interface_names, (std::vector<std::string>{"wan1"}));
}

TEST(ParseExporters, ReadsAddressesPrefixesAndDomains) {
  const Config config = parse(R"(
exporters:
  list:
    - {address: 192.0.2.1, name: fw-a, observation_domain: 0}
    - {address: 192.0.2.1, name: fw-a, observation_domain: 4294967295}
    - {address: 192.0.2.1, name: fw-a}
    - {address: 198.51.100.0/24, name: fw-b}
    - {address: "2001:db8::1", name: fw-c}
)");
  ASSERT_EQ(config.exporters.size(), 5u);
  EXPECT_EQ(config.exporters[0].address, cidr("192.0.2.1/32"));
  EXPECT_EQ(config.exporters[0].observation_domain, 0u);
  EXPECT_EQ(config.exporters[1].observation_domain, 4294967295u);
  EXPECT_EQ(config.exporters[2].observation_domain, std::nullopt);
  EXPECT_EQ(config.exporters[3].address, cidr("198.51.100.0/24"));
  EXPECT_EQ(config.exporters[4].address, cidr("2001:db8::1/128"));
  EXPECT_EQ(config.exporters[4].name, "fw-c");
}

TEST(ParseExporters, OneNameMayCoverSeveralAddresses) {
  const Config config =
      parse("exporters: {list: [{address: 192.0.2.1, name: fw}, {address: 192.0.2.2, name: fw}]}\n");
  EXPECT_EQ(config.exporters.size(), 2u);
}

TEST(ParseServices, ReadsOverrides) {
  const Config config = parse(R"(
services:
  overrides:
    - {port: 8443, protocol: tcp, name: admin-portal}
    - {address: 10.0.0.5, port: 443, name: webshop}
    - {port: 5000, protocol: 132, name: signalling}
    - {port: 1, protocol: UDP, name: one}
    - {port: 65535, protocol: 0, name: last}
)");
  ASSERT_EQ(config.service_overrides.size(), 5u);
  const ServiceOverride admin{std::nullopt, 8443, uint8_t{6}, "admin-portal"};
  const ServiceOverride webshop{ip("10.0.0.5"), 443, std::nullopt, "webshop"};
  EXPECT_EQ(config.service_overrides[0], admin);
  EXPECT_EQ(config.service_overrides[1], webshop);
  EXPECT_EQ(config.service_overrides[2].protocol, 132);
  EXPECT_EQ(config.service_overrides[3].protocol, 17);
  EXPECT_EQ(config.service_overrides[4].port, 65535);
  EXPECT_EQ(config.service_overrides[4].protocol, 0);
}

TEST(ParseServices, SamePortMayDifferByAddressOrProtocol) {
  const Config config = parse(R"(
services:
  overrides:
    - {port: 443, name: a}
    - {port: 443, protocol: udp, name: b}
    - {port: 443, address: 10.0.0.5, name: c}
)");
  EXPECT_EQ(config.service_overrides.size(), 3u);
}

TEST(ParseConfig, AnchorsAndAliasesWork) {
  const Config config = parse(R"(
exporters:
  defaults:
    internal_networks: &inside [10.0.0.0/8]
  list:
    - {address: 192.0.2.1, name: fw, internal_networks: *inside}
)");
  EXPECT_EQ(config.exporters[0].policy.internal_networks, std::vector<Cidr>{cidr("10.0.0.0/8")});
}

class LoadConfigFile : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  std::string write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_.string();
  }
  std::filesystem::path path_ =
      std::filesystem::temp_directory_path() / ("flowd_config_test_" + std::to_string(::getpid()) + ".yaml");
};

TEST_F(LoadConfigFile, ReadsTheFile) {
  const std::string path = write("workers: 2\n");
  const Config config = load_config_file(path);
  EXPECT_EQ(config.workers, 2u);
  EXPECT_EQ(config.source_file, path);
}

TEST_F(LoadConfigFile, EmptyFileGivesDefaults) {
  const std::string path = write("");
  Config expected = Config::defaults();
  expected.source_file = path;
  EXPECT_EQ(load_config_file(path), expected);
}

TEST_F(LoadConfigFile, ErrorsNameTheFile) {
  const std::string path = write("\n\nworkers: many\n");
  try {
    load_config_file(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.file(), path);
    EXPECT_EQ(error.line(), 3);
    EXPECT_EQ(error.key_path(), "workers");
    EXPECT_EQ(error.why(), "'many' is not a whole number");
    EXPECT_EQ(std::string(error.what()), path + ":3: workers: 'many' is not a whole number");
  }
}

}  // namespace
}  // namespace flowd
