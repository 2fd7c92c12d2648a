#include "onefirewall_flowd/deliver/event_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace flowd {
namespace {

Event sample() {
  Event e;
  e.firewall = "fortinet";
  e.direction = Direction::kInbound;
  e.src_ip = *IpAddress::parse("94.22.73.32");
  e.dst_ip = *IpAddress::parse("192.168.0.1");
  e.src_port = 3435;
  e.dst_port = 443;
  e.protocol = 6;
  e.service = "https";
  e.action = Action::kAllow;
  return e;
}

TEST(EventJson, IsExactlyTheApiBody) {
  EXPECT_EQ(event_json(sample()),
            R"({"firewall":"fortinet","direction":"inbound","src_ip":"94.22.73.32","dst_ip":"192.168.0.1",)"
            R"("src_port":3435,"dst_port":443,"service":"https","action":"Allow"})");
}

TEST(EventJson, HasEightFieldsOfTheDocumentedTypes) {
  const auto body = nlohmann::json::parse(event_json(sample()));
  ASSERT_EQ(body.size(), 8u);
  for (const char* key : {"firewall", "direction", "src_ip", "dst_ip", "service", "action"}) {
    EXPECT_TRUE(body.at(key).is_string()) << key;
  }
  EXPECT_TRUE(body.at("src_port").is_number_integer());
  EXPECT_TRUE(body.at("dst_port").is_number_integer());
}

TEST(EventJson, EscapesNamesSafely) {
  Event e = sample();
  e.firewall = "fw \"east\"\\\n\x01";
  e.action = Action::kDeny;
  e.direction = Direction::kOutbound;
  const auto body = nlohmann::json::parse(event_json(e));
  EXPECT_EQ(body.at("firewall"), e.firewall);
  EXPECT_EQ(body.at("action"), "Deny");
  EXPECT_EQ(body.at("direction"), "outbound");
}

TEST(EventJson, PrintsIpv6Addresses) {
  Event e = sample();
  e.src_ip = *IpAddress::parse("2001:db8::1");
  EXPECT_EQ(nlohmann::json::parse(event_json(e)).at("src_ip"), "2001:db8::1");
}

}  // namespace
}  // namespace flowd
