#include <gtest/gtest.h>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/config/units.h"

namespace flowd {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, AcceptsEachUnit) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds{250});
  EXPECT_EQ(parse_duration("10s"), milliseconds{10'000});
  EXPECT_EQ(parse_duration("30m"), milliseconds{1'800'000});
  EXPECT_EQ(parse_duration("1h"), milliseconds{3'600'000});
  EXPECT_EQ(parse_duration("0s"), milliseconds{0});
}

TEST(ParseDuration, AcceptsBareZeroOnly) {
  EXPECT_EQ(parse_duration("0"), milliseconds{0});
  EXPECT_EQ(parse_duration("10"), std::nullopt);
  EXPECT_EQ(duration_error("10"), "has no unit (use ms, s, m or h)");
}

TEST(ParseDuration, RejectsMalformedText) {
  EXPECT_EQ(duration_error(""), "is empty");
  EXPECT_EQ(duration_error("-5s"), "is negative");
  EXPECT_EQ(duration_error("s"), "is not a number with a unit (e.g. 250ms, 10s, 30m, 1h)");
  EXPECT_EQ(duration_error("10d"), "has an unknown unit 'd' (use ms, s, m or h)");
  EXPECT_EQ(duration_error("10 s"), "has an unknown unit ' s' (use ms, s, m or h)");
  EXPECT_EQ(duration_error("1.5h"), "is not a whole number (use a smaller unit: ms, s, m or h)");
  EXPECT_EQ(duration_error("10S"), "has an unknown unit 'S' (use ms, s, m or h)");
  EXPECT_EQ(parse_duration("1h30m"), std::nullopt);
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_EQ(duration_error("99999999999999999999ms"), "is too large");  // beyond uint64
  EXPECT_EQ(duration_error("9223372036854775808ms"), "is too large");   // beyond int64
  EXPECT_EQ(duration_error("5124095576030432h"), "is too large");       // overflows when scaled
  EXPECT_EQ(parse_duration("9223372036854775807ms"), milliseconds{9223372036854775807});
}

TEST(ParseDuration, ErrorIsEmptyForGoodText) {
  EXPECT_EQ(duration_error("10s"), "");
}

TEST(ParseSize, AcceptsBytesAndBinaryUnits) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("512"), 512u);
  EXPECT_EQ(parse_size("64KiB"), 64u * 1024);
  EXPECT_EQ(parse_size("32MiB"), 32u * 1024 * 1024);
  EXPECT_EQ(parse_size("1GiB"), 1ull << 30);
  EXPECT_EQ(parse_size("16384GiB"), 16384ull << 30);
}

TEST(ParseSize, RejectsMalformedText) {
  EXPECT_EQ(size_error(""), "is empty");
  EXPECT_EQ(size_error("-1"), "is negative");
  EXPECT_EQ(size_error("MiB"), "is not a number with a unit (e.g. 4096, 64KiB, 32MiB, 1GiB)");
  EXPECT_EQ(size_error("10MB"), "has an unknown unit 'MB' (use KiB, MiB or GiB; a bare number is bytes)");
  EXPECT_EQ(size_error("1.5GiB"),
            "is not a whole number (use a smaller unit: KiB, MiB or GiB; a bare number is bytes)");
  EXPECT_EQ(parse_size("1gib"), std::nullopt);
}

TEST(ParseSize, RejectsOverflow) {
  EXPECT_EQ(size_error("18446744073709551616"), "is too large");
  EXPECT_EQ(size_error("17179869184GiB"), "is too large");
  EXPECT_EQ(parse_size("18446744073709551615"), 18446744073709551615ull);
}

TEST(ParseEndpoint, AcceptsIpv4AndBracketedIpv6) {
  const auto v4 = parse_endpoint("1.2.3.4:2055");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->address, *IpAddress::parse("1.2.3.4"));
  EXPECT_EQ(v4->port, 2055);

  const auto any6 = parse_endpoint("[::]:2055");
  ASSERT_TRUE(any6);
  EXPECT_EQ(any6->address, *IpAddress::parse("::"));

  const auto v6 = parse_endpoint("[2001:db8::1]:4739");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, *IpAddress::parse("2001:db8::1"));
  EXPECT_EQ(v6->port, 4739);

  EXPECT_TRUE(parse_endpoint("0.0.0.0:65535"));
  EXPECT_TRUE(parse_endpoint("127.0.0.1:1"));
}

TEST(ParseEndpoint, RejectsHostNames) {
  EXPECT_EQ(parse_endpoint("localhost:2055"), std::nullopt);
  EXPECT_EQ(endpoint_error("localhost:2055"),
            "has host 'localhost', but the host must be a literal IP address (names are not resolved)");
  EXPECT_EQ(endpoint_error("[router.example]:2055"),
            "has host 'router.example', but the host must be a literal IP address (names are not resolved)");
}

TEST(ParseEndpoint, RejectsBadPorts) {
  EXPECT_EQ(endpoint_error("1.2.3.4:0"), "has port '0', but the port must be 1..65535");
  EXPECT_EQ(endpoint_error("1.2.3.4:65536"), "has port '65536', but the port must be 1..65535");
  EXPECT_EQ(endpoint_error("1.2.3.4:http"), "has port 'http', but the port must be 1..65535");
  EXPECT_EQ(endpoint_error("1.2.3.4:-1"), "has port '-1', but the port must be 1..65535");
  EXPECT_EQ(endpoint_error("1.2.3.4:"), "needs a port after ':'");
  EXPECT_EQ(endpoint_error("1.2.3.4"), "needs a port (e.g. 0.0.0.0:2055)");
}

TEST(ParseEndpoint, RejectsMalformedBrackets) {
  EXPECT_EQ(endpoint_error(""), "is empty");
  EXPECT_EQ(endpoint_error("::1:2055"), "needs brackets around an IPv6 address (e.g. [::]:2055)");
  EXPECT_EQ(endpoint_error("[::1"), "has an unclosed '['");
  EXPECT_EQ(endpoint_error("[::1]"), "needs a port after ']' (e.g. [::]:2055)");
  EXPECT_EQ(endpoint_error("[::1]2055"), "needs a port after ']' (e.g. [::]:2055)");
  EXPECT_EQ(endpoint_error("[1.2.3.4]:2055"), "has brackets around an IPv4 address");
  EXPECT_EQ(endpoint_error("1.2.3:2055"),
            "has host '1.2.3', but the host must be a literal IP address (names are not resolved)");
}

TEST(FormatUnits, WritesTheLargestExactUnit) {
  EXPECT_EQ(format_size(1ull << 30), "1GiB");
  EXPECT_EQ(format_size(1536ull << 10), "1536KiB");
  EXPECT_EQ(format_size(100), "100");
  EXPECT_EQ(format_size(0), "0");
  EXPECT_EQ(format_duration(milliseconds{3'600'000}), "1h");
  EXPECT_EQ(format_duration(milliseconds{90'000}), "90s");
  EXPECT_EQ(format_duration(milliseconds{250}), "250ms");
  EXPECT_EQ(format_duration(milliseconds{0}), "0");
}

TEST(FormatUnits, EndpointRoundTrips) {
  for (const char* text : {"1.2.3.4:2055", "[::]:2055", "[2001:db8::1]:4739"}) {
    EXPECT_EQ(format_endpoint(*parse_endpoint(text)), text);
  }
}

}  // namespace
}  // namespace flowd
