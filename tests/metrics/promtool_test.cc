#include <gtest/gtest.h>

#include "onefirewall_flowd/core/histogram.h"
#include "onefirewall_flowd/metrics/metrics_writer.h"
#include "promtool_check.h"

namespace flowd {
namespace {

TEST(Promtool, FindsNothingWrongWithACounterAGaugeAndAHistogram) {
  const auto promtool = test::find_promtool();
  if (!promtool) GTEST_SKIP() << "promtool not on PATH (Debian package prometheus); exposition not linted";
  Histogram h({0.005, 0.1, 1, 60, 86400});
  for (const double v : {0.001, 0.1, 0.7, 30.0, 100000.0}) h.observe(v);
  MetricsWriter w;
  w.counter("flows_decoded_total", "Flow records decoded.", 42);
  w.gauge("queue_depth", "Records waiting to be delivered.", 0.5);
  w.histogram("delivery_duration_seconds", "Time to deliver a batch.", h.snapshot());
  const test::PromtoolResult run = test::promtool_check_metrics(*promtool, w.text());
  EXPECT_EQ(run.status, 0) << run.output << "\n--- input ---\n" << w.text();
  EXPECT_EQ(run.output, "") << w.text();
}

}  // namespace
}  // namespace flowd
