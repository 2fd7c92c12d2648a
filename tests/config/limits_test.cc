// Limits on what a config may ask for, and on what an error about it echoes:
// every duration has a range, and keys and values are escaped and cut short.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"

namespace flowd {
namespace {

using testing::error_text;
using testing::parse;

constexpr const char* kTopLevelKeys =
    "listen, listen_tcp, workers, receive_buffer, exporters, services, reduce, queue, spool, templates, api, "
    "metrics, "
    "log";

// --- Duration ranges (each beyond the ~2,562,047 h that std::chrono can hold in nanoseconds) ---

TEST(DurationRange, ReduceWindowAbove8760hIsRefused) {
  EXPECT_EQ(error_text("reduce: {window: 8761h}\n"),
            "test.yaml:1: reduce.window: '8761h' is out of range (must be 0 or 1ms..8760h)");
  EXPECT_EQ(error_text("reduce: {window: 3000000h}\n"),
            "test.yaml:1: reduce.window: '3000000h' is out of range (must be 0 or 1ms..8760h)");
}

TEST(DurationRange, TemplatesLifetimeAbove168hIsRefused) {
  EXPECT_EQ(error_text("templates: {lifetime: 169h}\n"),
            "test.yaml:1: templates.lifetime: '169h' is out of range (must be 1ms..168h)");
  EXPECT_EQ(error_text("templates: {lifetime: 3000000h}\n"),
            "test.yaml:1: templates.lifetime: '3000000h' is out of range (must be 1ms..168h)");
}

TEST(DurationRange, RateLimitPeriodAbove24hIsRefused) {
  EXPECT_EQ(error_text("api: {rate_limit: {period: 1441m}}\n"),
            "test.yaml:1: api.rate_limit.period: '1441m' is out of range (must be 1ms..24h)");
}

TEST(DurationRange, ApiTimeoutAbove1hIsRefused) {
  EXPECT_EQ(error_text("api: {timeout: 3601s}\n"),
            "test.yaml:1: api.timeout: '3601s' is out of range (must be 1ms..1h)");
}

TEST(DurationRange, ExportersSilentAfterOutside1sTo720hIsRefused) {
  EXPECT_EQ(error_text("exporters: {silent_after: 721h}\n"),
            "test.yaml:1: exporters.silent_after: '721h' is out of range (must be 1s..720h)");
  EXPECT_EQ(error_text("exporters: {silent_after: 500ms}\n"),
            "test.yaml:1: exporters.silent_after: '500ms' is out of range (must be 1s..720h)");
}

TEST(DurationRange, ExportersSilentAfterIsRead) {
  EXPECT_EQ(parse("exporters: {silent_after: 90s}\n").exporter_silent_after, std::chrono::seconds{90});
  EXPECT_EQ(parse("exporters: {silent_after: 720h}\n").exporter_silent_after, std::chrono::hours{720});
}

TEST(DurationRange, EachMaximumIsAccepted) {
  const Config config = parse(
      "reduce: {window: 8760h}\ntemplates: {lifetime: 168h}\n"
      "api: {rate_limit: {period: 24h}, timeout: 1h}\n");
  EXPECT_EQ(config.reduce_window, std::chrono::hours{8760});
  EXPECT_EQ(config.template_lifetime, std::chrono::hours{168});
  EXPECT_EQ(config.api.rate_limit_period, std::chrono::hours{24});
  EXPECT_EQ(config.api.timeout, std::chrono::hours{1});
}

// --- What errors echo ------------------------------------------------------------

TEST(EchoedText, HugeUnknownKeyIsCutShortWithoutSuggestion) {
  const std::string key(1'000'000, 'k');
  EXPECT_EQ(error_text("? " + key + "\n: 1\n"), "test.yaml:1: " + std::string(40, 'k') +
                                                    "...: unknown key '" + std::string(80, 'k') +
                                                    "...' (valid keys here: " + kTopLevelKeys + ")");
}

TEST(EchoedText, HugeNearMissOfAKeyGetsNoSuggestion) {
  const std::string key = "listen" + std::string(100, 'x');
  EXPECT_EQ(error_text("log: {" + key + ": 1}\n"), "test.yaml:1: log." + key.substr(0, 40) +
                                                       "...: unknown key '" + key.substr(0, 80) +
                                                       "...' (valid keys here: level)");
}

TEST(EchoedText, ControlCharactersInAKeyAreEscaped) {
  EXPECT_EQ(error_text("\"a\\e[2Jb\\r\": 1\n"),
            "test.yaml:1: a\\x1b[2Jb\\x0d: unknown key 'a\\x1b[2Jb\\x0d' "
            "(valid keys here: " +
                std::string(kTopLevelKeys) + ")");
}

TEST(EchoedText, ControlCharactersInAnEndpointHostAreEscaped) {
  EXPECT_EQ(error_text("listen: [\"\\e[2J:2055\"]\n"),
            "test.yaml:1: listen[0]: '\\x1b[2J:2055' has host '\\x1b[2J', but the host must be a literal IP "
            "address (names are not resolved)");
}

TEST(EchoedText, ControlCharactersInADurationUnitAreEscaped) {
  EXPECT_EQ(error_text("reduce: {window: \"5\\e\"}\n"),
            "test.yaml:1: reduce.window: '5\\x1b' has an unknown unit '\\x1b' (use ms, s, m or h)");
}

TEST(EchoedText, ControlCharactersInAYamlSyntaxErrorAreEscaped) {
  EXPECT_EQ(error_text("a: \"\\\x1b\"\n"), "test.yaml:1: YAML syntax error: unknown escape character: \\x1b");
}

TEST(EchoedText, HugeValueIsCutShortWithoutSuggestion) {
  const std::string level = "info" + std::string(1'000'000, 'o');
  EXPECT_EQ(error_text("log: {level: " + level + "}\n"),
            "test.yaml:1: log.level: '" + level.substr(0, 80) +
                "...' is not a log level (use trace, debug, info, warn, error, critical or off)");
}

TEST(EchoedText, HugeUrlHostIsCutShort) {
  const std::string host(100'000, 'h');
  EXPECT_EQ(error_text("api: {url: \"https://" + host + "_\"}\n"),
            "test.yaml:1: api.url: 'https://" + host.substr(0, 72) + "...' has host '" + host.substr(0, 80) +
                "...', which is not a valid host name");
}

// --- Large lists ----------------------------------------------------------------

// Tens of thousands of endpoints: the duplicate check must not compare each with every other.
TEST(LargeList, DuplicateAfterManyListenEndpointsIsFound) {
  constexpr int kEndpoints = 100'000;
  std::string yaml = "listen: [";
  for (int i = 0; i < kEndpoints; ++i) {
    yaml += "\"10.0." + std::to_string(i / 65535) + ".1:" + std::to_string(i % 65535 + 1) + "\", ";
  }
  yaml += "\"10.0.0.1:7\"]\n";
  EXPECT_EQ(error_text(yaml), "test.yaml:1: listen[100000]: '10.0.0.1:7' is listed twice");
}

TEST(LargeList, ManyDistinctListenEndpointsAreAccepted) {
  constexpr int kEndpoints = 100'000;
  std::string yaml = "listen: [";
  for (int i = 0; i < kEndpoints; ++i) {
    yaml += std::string(i == 0 ? "" : ", ") + "\"10.1." + std::to_string(i / 65535) +
            ".1:" + std::to_string(i % 65535 + 1) + "\"";
  }
  yaml += "]\n";
  EXPECT_EQ(parse(yaml).listen.size(), static_cast<size_t>(kEndpoints));
}

}  // namespace
}  // namespace flowd
