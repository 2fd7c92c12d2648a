#include "onefirewall_flowd/metrics/metrics_writer.h"

#include <gtest/gtest.h>

#include "onefirewall_flowd/metrics/metrics_registry.h"

namespace flowd {
namespace {

TEST(MetricsWriter, WritesACounterWithHelpAndType) {
  MetricsWriter w;
  w.counter("flows_decoded_total", "Flow records decoded.", 42);
  EXPECT_EQ(w.text(),
            "# HELP onefirewall_flowd_flows_decoded_total Flow records decoded.\n"
            "# TYPE onefirewall_flowd_flows_decoded_total counter\n"
            "onefirewall_flowd_flows_decoded_total 42\n");
}

TEST(MetricsWriter, WritesLabelledSamplesOfOneFamily) {
  MetricsWriter w;
  w.family("decode_errors_total", "Datagrams not decoded, by reason.", "counter");
  w.sample("decode_errors_total", {{"reason", "truncated_header"}}, 3);
  w.sample("decode_errors_total", {{"reason", "v5_bad_count"}, {"exporter", "192.0.2.1"}}, 0);
  EXPECT_EQ(w.text(),
            "# HELP onefirewall_flowd_decode_errors_total Datagrams not decoded, by reason.\n"
            "# TYPE onefirewall_flowd_decode_errors_total counter\n"
            "onefirewall_flowd_decode_errors_total{reason=\"truncated_header\"} 3\n"
            "onefirewall_flowd_decode_errors_total{reason=\"v5_bad_count\",exporter=\"192.0.2.1\"} 0\n");
}

TEST(MetricsWriter, EscapesLabelValues) {
  MetricsWriter w;
  w.sample("x", {{"name", "a\"b\\c\nd"}}, 1);
  EXPECT_EQ(w.text(), "onefirewall_flowd_x{name=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsWriter, WritesFractionalGauges) {
  MetricsWriter w;
  w.gauge("ratio", "A ratio.", 0.25);
  EXPECT_NE(w.text().find("onefirewall_flowd_ratio 0.25\n"), std::string::npos) << w.text();
}

TEST(MetricsRegistry, RendersEveryCollectorInOrder) {
  MetricsRegistry registry;
  uint64_t value = 1;
  registry.add([&](MetricsWriter& w) { w.counter("a_total", "A.", value); });
  registry.add([](MetricsWriter& w) { w.gauge("b", "B.", 2); });
  value = 5;
  const std::string text = registry.render();
  EXPECT_NE(text.find("onefirewall_flowd_a_total 5\n"), std::string::npos);
  EXPECT_LT(text.find("a_total"), text.find("onefirewall_flowd_b "));
}

}  // namespace
}  // namespace flowd
