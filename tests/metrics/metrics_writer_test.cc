#include "onefirewall_flowd/metrics/metrics_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

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

TEST(MetricsWriter, WritesInfiniteValuesAsPrometheusSpellsThem) {
  MetricsWriter w;
  w.sample("up", {}, std::numeric_limits<double>::infinity());
  w.sample("down", {}, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(w.text(), "onefirewall_flowd_up +Inf\nonefirewall_flowd_down -Inf\n");
}

TEST(MetricsWriter, WritesAHistogramWithCumulativeBucketsSumAndCount) {
  MetricsWriter w;
  const Histogram::Snapshot s{{0.1, 1, 60, 86400}, {1, 2, 2, 3}, 4, 90000.5};
  w.histogram("delivery_seconds", "Time to deliver a batch.", s);
  EXPECT_EQ(w.text(),
            "# HELP onefirewall_flowd_delivery_seconds Time to deliver a batch.\n"
            "# TYPE onefirewall_flowd_delivery_seconds histogram\n"
            "onefirewall_flowd_delivery_seconds_bucket{le=\"0.1\"} 1\n"
            "onefirewall_flowd_delivery_seconds_bucket{le=\"1\"} 2\n"
            "onefirewall_flowd_delivery_seconds_bucket{le=\"60\"} 2\n"
            "onefirewall_flowd_delivery_seconds_bucket{le=\"86400\"} 3\n"
            "onefirewall_flowd_delivery_seconds_bucket{le=\"+Inf\"} 4\n"
            "onefirewall_flowd_delivery_seconds_sum 90000.5\n"
            "onefirewall_flowd_delivery_seconds_count 4\n");
}

TEST(MetricsWriter, FormatsBucketBoundsAsTheGoClientDoes) {
  MetricsWriter w;
  const Histogram::Snapshot s{
      {-0.5, 0, 0.005, 0.0001, 2.5e-5, 999999, 1e6, 1.5e20}, {0, 0, 0, 0, 0, 0, 0, 0}, 0, 0};
  w.histogram("h", "H.", s);
  for (const char* le : {"-0.5", "0", "0.005", "0.0001", "2.5e-05", "999999", "1e+06", "1.5e+20"}) {
    EXPECT_NE(w.text().find(std::string("_bucket{le=\"") + le + "\"} 0\n"), std::string::npos) << le;
  }
}

TEST(MetricsWriter, WritesAnObservedHistogram) {
  Histogram h({0.25, 1});
  h.observe(0.25);
  h.observe(0.5);
  h.observe(3);
  MetricsWriter w;
  w.histogram("batch_seconds", "B.", h.snapshot());
  EXPECT_NE(w.text().find("onefirewall_flowd_batch_seconds_bucket{le=\"0.25\"} 1\n"
                          "onefirewall_flowd_batch_seconds_bucket{le=\"1\"} 2\n"
                          "onefirewall_flowd_batch_seconds_bucket{le=\"+Inf\"} 3\n"
                          "onefirewall_flowd_batch_seconds_sum 3.75\n"
                          "onefirewall_flowd_batch_seconds_count 3\n"),
            std::string::npos)
      << w.text();
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
