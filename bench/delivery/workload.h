#pragma once

// Synthetic traffic: external hosts drawn from a Zipf-like law, a daily curve,
// and API bodies shaped like event_json's output.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "onefirewall_flowd/deliver/admission.h"

namespace flowd::delivery_sim {

// Ranks 0..population-1, rank r drawn with weight (r+1)^-exponent: a few very
// busy hosts and a long tail.
class ZipfHosts {
 public:
  ZipfHosts(uint32_t population, double exponent);
  [[nodiscard]] uint32_t draw(std::mt19937_64& rng) const;
  [[nodiscard]] uint32_t population() const { return static_cast<uint32_t>(cdf_.size()); }

 private:
  std::vector<double> cdf_;
};

// A host's rank <-> its IPv4 address, scrambled over 45.0.0.0/8 (ranks < 2^24).
[[nodiscard]] uint32_t rank_address(uint32_t rank);
[[nodiscard]] uint32_t address_rank(uint32_t address);
// The IPv4 address of a spool host key (4 bytes, network order).
[[nodiscard]] uint32_t key_address(const std::string& host_key);

// Records per millisecond over a day: mean x (1 + amplitude sin), trough at
// 04:00 and peak at 16:00 of a day of day_ms.
class DailyCurve {
 public:
  DailyCurve(double records_per_day, int64_t day_ms, double amplitude);
  // Records expected in [from_ms, to_ms), in ms since midnight of day one.
  [[nodiscard]] double expected(int64_t from_ms, int64_t to_ms) const;
  // Records per second at t_ms.
  [[nodiscard]] double rate_per_s(int64_t t_ms) const;

 private:
  [[nodiscard]] double integral(int64_t t_ms) const;
  double per_ms_;
  double day_ms_;
  double amplitude_;
};

// One record of the external host `address`; `n` varies ports and the internal side.
[[nodiscard]] Admission make_record(uint32_t address, Action action, bool outbound, int64_t admitted_ms,
                                    uint64_t n);

// Records from Zipf-drawn hosts: the busy ones Deny more (scanners).
class TrafficGenerator {
 public:
  TrafficGenerator(uint32_t population, double exponent, uint64_t seed);
  // Appends `count` records admitted in [from_ms, to_ms), oldest first; `ranks` gets their hosts.
  void generate(uint64_t count, int64_t from_ms, int64_t to_ms, std::vector<Admission>& out,
                std::vector<uint32_t>* ranks = nullptr);
  [[nodiscard]] std::mt19937_64& rng() { return rng_; }
  [[nodiscard]] uint64_t generated() const { return generated_; }
  [[nodiscard]] uint64_t denied() const { return denied_; }
  [[nodiscard]] uint64_t body_bytes() const { return body_bytes_; }

 private:
  struct Draw {
    int64_t ms;
    uint32_t rank;
  };
  ZipfHosts hosts_;
  std::mt19937_64 rng_;
  std::vector<Draw> draws_;
  uint64_t generated_ = 0;
  uint64_t denied_ = 0;
  uint64_t body_bytes_ = 0;
};

}  // namespace flowd::delivery_sim
