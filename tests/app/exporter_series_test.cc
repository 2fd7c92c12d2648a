#include "onefirewall_flowd/app/exporter_series.h"

#include <gtest/gtest.h>

#include <thread>

namespace flowd {
namespace {

IpAddress address(uint32_t n) {
  return IpAddress::from_v4(0xc0000200u + n);
}

TEST(ExporterSeries, CountsPacketsFlowsAndGapsPerExporter) {
  ExporterSeries series;
  series.count(address(1), 30, 0);
  series.count(address(2), 5, 2);
  series.count(address(1), 10, 1);
  const auto counts = series.snapshot();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts.at(address(1)).packets, 2u);
  EXPECT_EQ(counts.at(address(1)).flows, 40u);
  EXPECT_EQ(counts.at(address(1)).sequence_lost, 1u);
  EXPECT_EQ(counts.at(address(2)).sequence_lost, 2u);
  EXPECT_EQ(series.other().packets, 0u);
}

TEST(ExporterSeries, KeepsTheLatestTimeEachExporterWasHeard) {
  ExporterSeries series;
  series.count(address(1), 1, 0, 1'700'000'005);
  series.count(address(1), 1, 0, 1'700'000'003);  // a datagram that waited in another queue
  series.count(address(2), 1, 0, 1'700'000'001);
  const auto counts = series.snapshot();
  EXPECT_EQ(counts.at(address(1)).last_heard, 1'700'000'005);
  EXPECT_EQ(counts.at(address(2)).last_heard, 1'700'000'001);
}

TEST(ExporterSeries, ExportersPastTheCapShareOneSeries) {
  ExporterSeries series;
  for (uint32_t i = 0; i < ExporterSeries::kMaxSeries + 5; ++i) series.count(address(i), 1, 0);
  series.count(address(0), 1, 0);
  EXPECT_EQ(series.snapshot().size(), ExporterSeries::kMaxSeries);
  EXPECT_EQ(series.other().packets, 5u);
  EXPECT_EQ(series.snapshot().at(address(0)).packets, 2u);
}

ExporterAdmission listing(uint32_t n) {
  return {[listed = address(n)](const IpAddress& a) { return a == listed; }, true};
}

TEST(ExporterSeries, SpoofedSourcesLeaveRoomForListedExporters) {
  ExporterSeries series;
  series.set_admission(listing(5000));
  for (uint32_t i = 0; i < ExporterSeries::kMaxSeries; ++i) series.count(address(i), 1, 0);
  series.count(address(5000), 1, 0);
  const auto counts = series.snapshot();
  EXPECT_EQ(counts.size(), ExporterSeries::kMaxUnlistedSeries + 1);
  EXPECT_EQ(counts.at(address(5000)).packets, 1u);
  EXPECT_EQ(series.other().packets, ExporterSeries::kMaxSeries - ExporterSeries::kMaxUnlistedSeries);
}

TEST(ExporterSeries, RefusedUnlistedExportersGetNoSeries) {
  ExporterSeries series;
  ExporterAdmission refuse = listing(1);
  refuse.accept_unknown = false;
  series.set_admission(refuse);
  series.count(address(2), 1, 0);
  series.count(address(1), 1, 0);
  EXPECT_EQ(series.snapshot().size(), 1u);
  EXPECT_EQ(series.other().packets, 1u);
}

TEST(ExporterSeries, TotalsOverWorkersKeepListedExportersOutOfOther) {
  ExporterSeries first, second;
  first.set_admission(listing(5000));
  second.set_admission(listing(5000));
  for (uint32_t i = 0; i < ExporterSeries::kMaxUnlistedSeries; ++i) {
    first.count(address(i), 1, 0);
    second.count(address(10'000 + i), 1, 0);
  }
  second.count(address(5000), 1, 0);
  const std::vector<const ExporterSeries*> workers = {&first, &second};
  std::map<IpAddress, ExporterCounts> totals;
  ExporterCounts other;
  add_series_to(workers, totals, other);
  EXPECT_EQ(totals.size(), ExporterSeries::kMaxSeries);
  EXPECT_EQ(totals.at(address(5000)).packets, 1u);
  EXPECT_EQ(other.packets, 2 * ExporterSeries::kMaxUnlistedSeries + 1 - ExporterSeries::kMaxSeries);
}

TEST(ExporterSeries, TotalsOverWorkersSumOneExporterAndKeepTheCap) {
  ExporterSeries first, second;
  first.count(address(1), 3, 0);
  second.count(address(1), 4, 1);
  second.count(address(2), 1, 0);
  std::map<IpAddress, ExporterCounts> totals;
  ExporterCounts other;
  first.add_to(totals, other);
  second.add_to(totals, other);
  EXPECT_EQ(totals.at(address(1)).packets, 2u);
  EXPECT_EQ(totals.at(address(1)).flows, 7u);
  EXPECT_EQ(totals.at(address(1)).sequence_lost, 1u);
  EXPECT_EQ(totals.at(address(2)).packets, 1u);

  // Workers that each stay under the cap may exceed it together.
  ExporterSeries many;
  for (uint32_t i = 100; i < 100 + ExporterSeries::kMaxSeries; ++i) many.count(address(i), 1, 0);
  many.add_to(totals, other);
  EXPECT_EQ(totals.size(), ExporterSeries::kMaxSeries);
  EXPECT_EQ(other.packets, 2u);
}

// A reader on another thread (the metrics) while the worker counts: every
// series it sees is one the worker made, and counts only grow.
TEST(ExporterSeries, ReadsWhileTheWorkerCounts) {
  ExporterSeries series;
  std::thread writer([&series] {
    for (uint32_t round = 0; round < 200; ++round) {
      for (uint32_t i = 0; i < 50; ++i) series.count(address(i), 2, 0);
    }
  });
  uint64_t last_packets = 0;
  for (int i = 0; i < 100; ++i) {
    const auto counts = series.snapshot();
    for (const auto& [exporter, c] : counts) EXPECT_LT(exporter, address(50)) << exporter.to_string();
    if (auto it = counts.find(address(0)); it != counts.end()) {
      EXPECT_GE(it->second.packets, last_packets);
      last_packets = it->second.packets;
    }
  }
  writer.join();
  const auto counts = series.snapshot();
  ASSERT_EQ(counts.size(), 50u);
  EXPECT_EQ(counts.at(address(49)).packets, 200u);
  EXPECT_EQ(counts.at(address(49)).flows, 400u);
}

}  // namespace
}  // namespace flowd
