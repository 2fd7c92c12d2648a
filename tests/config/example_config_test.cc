#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "key_schema.h"

#include "onefirewall_flowd/config/config_loader.h"
#include "onefirewall_flowd/config/units.h"

namespace flowd {
namespace {

constexpr const char* kExamplePath = FLOWD_SOURCE_DIR "/config/onefirewall-flowd.yaml";

// The shipped file shows every default, so apart from its two illustrative
// entries it must equal an empty config.
TEST(ExampleConfig, LoadsAndEqualsTheDefaultsPlusItsExamples) {
  const Config config = load_config_file(kExamplePath);

  ASSERT_EQ(config.exporters.size(), 1u);
  const ExporterConfig& exporter = config.exporters[0];
  EXPECT_EQ(exporter.address, *Cidr::parse("192.0.2.1/32"));
  EXPECT_EQ(exporter.name, "edge-fw-1");
  EXPECT_EQ(exporter.observation_domain, std::nullopt);
  const ExporterPolicy policy{{*Cidr::parse("203.0.113.0/24")}, {1}, Action::kAllow, false, {"outside"}};
  EXPECT_EQ(exporter.policy, policy);

  ASSERT_EQ(config.service_overrides.size(), 1u);
  const ServiceOverride admin{IpAddress::parse("192.0.2.10"), 8443, uint8_t{6}, "admin-portal"};
  EXPECT_EQ(config.service_overrides[0], admin);

  Config expected = Config::defaults();
  expected.source_file = kExamplePath;
  expected.exporters = config.exporters;
  expected.service_overrides = config.service_overrides;
  EXPECT_EQ(config, expected);
}

TEST(ExampleConfig, ListensUnprivilegedOnBothFamilies) {
  const Config config = load_config_file(kExamplePath);
  ASSERT_EQ(config.listen.size(), 2u);
  EXPECT_EQ(format_endpoint(config.listen[0]), "0.0.0.0:2055");
  EXPECT_EQ(format_endpoint(config.listen[1]), "[::]:2055");
  EXPECT_EQ(format_endpoint(config.metrics_listen), "127.0.0.1:9740");
}

std::string example_text() {
  std::ifstream file(kExamplePath);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every key of the api section is shown, each on a line of its own under `api:`.
TEST(ExampleConfig, ShowsEveryApiKey) {
  const std::string text = example_text();
  const std::size_t api = text.find("\napi:\n");
  ASSERT_NE(api, std::string::npos);
  for (std::string_view key : config_detail::keys::kApi) {
    EXPECT_NE(text.find("\n  " + std::string(key) + ":", api), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace flowd
