#include "onefirewall_flowd/app/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace flowd {
namespace {

TEST(PromText, ReadsSamplesWithAndWithoutLabels) {
  const PromText text = PromText::parse(
      "# HELP a_total Things.\n"
      "# TYPE a_total counter\n"
      "a_total 42\n"
      "b{exporter=\"10.0.0.1\",kind=\"x\"} 1.5e3\n"
      "b{exporter=\"10.0.0.2\"} 7\n"
      "c_bucket{le=\"+Inf\"} 3 1700000000000\n");
  EXPECT_EQ(text.value("a_total"), 42);
  EXPECT_EQ(text.value("b", {{"exporter", "10.0.0.1"}}), 1500);
  EXPECT_EQ(text.value("b", {{"exporter", "10.0.0.2"}}), 7);
  EXPECT_EQ(text.value("b", {{"exporter", "10.0.0.3"}}), std::nullopt);
  EXPECT_EQ(text.value("c_bucket", {{"le", "+Inf"}}), 3);
  EXPECT_EQ(text.all("b").size(), 2u);
  EXPECT_EQ(text.malformed_lines(), 0u);
}

TEST(PromText, UnescapesLabelValues) {
  const auto sample = parse_prom_line(R"(e{error="say \"no\"\\n\n"} 1)");
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->labels.at("error"), "say \"no\"\\n\n");
}

TEST(PromText, ReadsSpecialValues) {
  EXPECT_TRUE(std::isinf(parse_prom_line("x +Inf")->value));
  EXPECT_TRUE(std::isnan(parse_prom_line("x NaN")->value));
}

TEST(PromText, CountsMalformedLinesAndSkipsThem) {
  const PromText text = PromText::parse(
      "ok 1\r\n"
      "novalue\n"
      "bad{label=\"unterminated} 1\n"
      "bad{=\"x\"} 1\n"
      "word notanumber\n"
      "\n"
      "{x=\"1\"} 2\n");
  EXPECT_EQ(text.value("ok"), 1);
  EXPECT_EQ(text.malformed_lines(), 5u);
}

}  // namespace
}  // namespace flowd
