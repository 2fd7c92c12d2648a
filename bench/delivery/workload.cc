#include "workload.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd::delivery_sim {
namespace {

constexpr uint32_t kHostBase = 45u << 24;  // 45.0.0.0/8
constexpr uint32_t kMask = (1u << 24) - 1;
constexpr uint32_t kScramble = 0x9E3779;  // odd, so rank -> address is a bijection mod 2^24

// The inverse of an odd number mod 2^32 (Newton's iteration), used mod 2^24.
constexpr uint32_t inverse(uint32_t a) {
  uint32_t x = a;
  for (int i = 0; i < 5; ++i) x *= 2 - a * x;
  return x;
}

struct Service {
  uint16_t port;
  uint8_t protocol;
  const char* name;
};
constexpr Service kServices[] = {
    {443, 6, "https"}, {80, 6, "http"},  {53, 17, "dns"},   {22, 6, "ssh"},        {25, 6, "smtp"},
    {123, 17, "ntp"},  {3389, 6, "rdp"}, {993, 6, "imaps"}, {8080, 6, "http-alt"}, {445, 6, "microsoft-ds"}};
constexpr const char* kFirewalls[] = {"edge-fw-01.fra1.dc.corp.example.net",
                                      "edge-fw-02.ams2.dc.corp.example.net",
                                      "core-fw-01.mil1.dc.corp.example.net"};

// The share of Deny falls from the busiest hosts (scanners) to the tail: about 1 in 5 overall.
double deny_share(uint32_t rank) {
  if (rank < 100) return 0.3;
  if (rank < 10'000) return 0.12;
  return 0.08;
}

}  // namespace

ZipfHosts::ZipfHosts(uint32_t population, double exponent) : cdf_(std::max<uint32_t>(population, 1)) {
  double sum = 0;
  for (size_t r = 0; r < cdf_.size(); ++r) {
    sum += std::pow(static_cast<double>(r + 1), -exponent);
    cdf_[r] = sum;
  }
  for (double& c : cdf_) c /= sum;
}

uint32_t ZipfHosts::draw(std::mt19937_64& rng) const {
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return static_cast<uint32_t>(std::min<size_t>(it - cdf_.begin(), cdf_.size() - 1));
}

uint32_t rank_address(uint32_t rank) {
  return kHostBase | ((rank * kScramble) & kMask);
}

uint32_t address_rank(uint32_t address) {
  static constexpr uint32_t kInverse = inverse(kScramble);
  return ((address & kMask) * kInverse) & kMask;
}

uint32_t key_address(const std::string& host_key) {
  uint32_t v4 = 0;
  for (const char c : host_key) v4 = v4 << 8 | static_cast<uint8_t>(c);
  return v4;
}

DailyCurve::DailyCurve(double records_per_day, int64_t day_ms, double amplitude)
    : per_ms_(records_per_day / static_cast<double>(day_ms)),
      day_ms_(static_cast<double>(day_ms)),
      amplitude_(amplitude) {}

// The integral of (1 + A sin(2 pi (t/D - 10/24))) from 0 to t, times the mean rate.
double DailyCurve::integral(int64_t t_ms) const {
  const double w = 2 * std::numbers::pi / day_ms_;
  const double phase = 2 * std::numbers::pi * 10.0 / 24.0;
  const double t = static_cast<double>(t_ms);
  return per_ms_ * (t - amplitude_ / w * (std::cos(w * t - phase) - std::cos(-phase)));
}

double DailyCurve::expected(int64_t from_ms, int64_t to_ms) const {
  return std::max(0.0, integral(to_ms) - integral(from_ms));
}

double DailyCurve::rate_per_s(int64_t t_ms) const {
  const double x = 2 * std::numbers::pi * (static_cast<double>(t_ms) / day_ms_ - 10.0 / 24.0);
  return 1000.0 * per_ms_ * (1 + amplitude_ * std::sin(x));
}

Admission make_record(uint32_t address, Action action, bool outbound, int64_t admitted_ms, uint64_t n) {
  const Service& service = kServices[(address ^ (address >> 9)) % std::size(kServices)];
  const IpAddress external = IpAddress::from_v4(address);
  const auto i = static_cast<uint32_t>(n % 1'000'003);
  const IpAddress internal =
      IpAddress::from_v4(172u << 24 | (16 + i % 16) << 16 | (i / 16 % 256) << 8 | (i % 250 + 1));
  Event e;
  e.firewall = kFirewalls[n % std::size(kFirewalls)];
  e.direction = outbound ? Direction::kOutbound : Direction::kInbound;
  e.src_ip = outbound ? internal : external;
  e.dst_ip = outbound ? external : internal;
  e.src_port = static_cast<uint16_t>(32'768 + n % 28'000);
  e.dst_port = service.port;
  e.protocol = service.protocol;
  e.service = service.name;
  e.action = action;
  return {event_json(e), external, action, admitted_ms};
}

TrafficGenerator::TrafficGenerator(uint32_t population, double exponent, uint64_t seed)
    : hosts_(population, exponent), rng_(seed) {}

void TrafficGenerator::generate(uint64_t count, int64_t from_ms, int64_t to_ms, std::vector<Admission>& out,
                                std::vector<uint32_t>* ranks) {
  draws_.clear();
  std::uniform_int_distribution<int64_t> when(from_ms, std::max(from_ms, to_ms - 1));
  for (uint64_t i = 0; i < count; ++i) draws_.push_back({when(rng_), hosts_.draw(rng_)});
  std::sort(draws_.begin(), draws_.end(), [](const Draw& a, const Draw& b) { return a.ms < b.ms; });
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const Draw& d : draws_) {
    const bool deny = unit(rng_) < deny_share(d.rank);
    const bool outbound = !deny && unit(rng_) < 0.6;
    out.push_back(make_record(rank_address(d.rank), deny ? Action::kDeny : Action::kAllow, outbound, d.ms,
                              generated_++));
    denied_ += deny ? 1 : 0;
    body_bytes_ += out.back().body.size();
    if (ranks != nullptr) ranks->push_back(d.rank);
  }
}

}  // namespace flowd::delivery_sim
