#include "load_generator.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace flowd::load {
namespace {

constexpr uint64_t kTickNs = 1'000'000;
constexpr uint64_t kCatchUpNs = 10 * kTickNs;  // past the window, to send a short backlog
constexpr uint64_t kMaxBurst = 1024;         // datagrams per tick, all exporters together
constexpr uint32_t kUptimeAtStartMs = 3'600'000;  // exporters "booted" an hour ago

uint64_t now_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

void sleep_until(uint64_t deadline_ns) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(deadline_ns / 1'000'000'000ULL);
  ts.tv_nsec = static_cast<long>(deadline_ns % 1'000'000'000ULL);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

int open_exporter_socket(uint32_t index, const LoadPlan& plan) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl((127u << 24) | (1u << 8) | index);
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_addr = plan.target;
  target.sin_port = htons(plan.port);
  const int sndbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
    const std::string why = std::strerror(errno);
    close(fd);
    throw std::runtime_error("exporter 127.0.1." + std::to_string(index) + ": " + why);
  }
  return fd;
}

}  // namespace

struct LoadGenerator::Exporter {
  int fd = -1;
  ExporterState state;
  ConversationSource source;
};

LoadGenerator::LoadGenerator(const LoadPlan& plan) : plan_(plan), encoder_(make_encoder(plan.protocol)) {
  const uint64_t per_exporter = std::max<uint64_t>(1, (plan.conversations + plan.exporters - 1) / plan.exporters);
  exporters_.reserve(plan.exporters);
  for (uint32_t i = 0; i < plan.exporters; ++i) {
    Exporter e{-1, ExporterState{}, ConversationSource(per_exporter, plan.distinct, i, plan.exporters)};
    e.state.domain = 1;
    exporters_.push_back(std::move(e));
    exporters_.back().fd = open_exporter_socket(i + 1, plan);
  }
  buffers_.resize(kMaxBurst * kMaxDatagram);
  iovs_.resize(kMaxBurst);
  messages_.resize(kMaxBurst);
}

LoadGenerator::~LoadGenerator() {
  for (const Exporter& e : exporters_) {
    if (e.fd >= 0) close(e.fd);
  }
}

SendResult LoadGenerator::run() {
  SendResult result;
  const double datagrams_per_second = plan_.flows_per_second / static_cast<double>(flows_per_datagram());
  result.datagrams_planned = static_cast<uint64_t>(std::llround(datagrams_per_second * plan_.duration_s));
  const uint64_t duration_ns = static_cast<uint64_t>(plan_.duration_s * 1e9);
  const uint64_t cpu_start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
  start_ns_ = now_ns(CLOCK_MONOTONIC);
  start_unix_ms_ = now_ns(CLOCK_REALTIME) / 1'000'000;
  uint64_t tick = start_ns_;
  uint64_t now = start_ns_;
  const uint64_t deadline_ns = duration_ns + kCatchUpNs;
  while (result.datagrams_sent + result.send_errors < result.datagrams_planned && now - start_ns_ <= deadline_ns) {
    const double elapsed_s = static_cast<double>(now - start_ns_) / 1e9;
    const uint64_t due = std::min(result.datagrams_planned,
                                  static_cast<uint64_t>(datagrams_per_second * elapsed_s) + 1);
    const uint64_t done = result.datagrams_sent + result.send_errors;
    if (due > done) {
      result.max_backlog = std::max(result.max_backlog, due - done);
      send_burst(std::min(due - done, kMaxBurst), result);
    }
    tick += kTickNs;
    sleep_until(tick);
    now = now_ns(CLOCK_MONOTONIC);
  }
  result.elapsed_s = static_cast<double>(now_ns(CLOCK_MONOTONIC) - start_ns_) / 1e9;
  result.cpu_s = static_cast<double>(now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / 1e9;
  result.flows_sent = result.datagrams_sent * flows_per_datagram();
  return result;
}

// Spreads a burst over the exporters round robin, one sendmmsg per exporter.
void LoadGenerator::send_burst(uint64_t count, SendResult& result) {
  const uint64_t n = exporters_.size();
  for (uint64_t k = 0; k < n && k < count; ++k) {
    const uint64_t share = count / n + (k < count % n ? 1 : 0);
    send_from(exporters_[(next_exporter_ + k) % n], share, result);
  }
  next_exporter_ = (next_exporter_ + count) % n;
}

void LoadGenerator::send_from(Exporter& exporter, uint64_t count, SendResult& result) {
  const uint64_t now_mono = now_ns(CLOCK_MONOTONIC);
  ExportClock clock;
  clock.uptime_ms = kUptimeAtStartMs + static_cast<uint32_t>((now_mono - start_ns_) / 1'000'000);
  clock.unix_ms = start_unix_ms_ + (now_mono - start_ns_) / 1'000'000;
  std::vector<iovec>& iovs = iovs_;
  std::vector<mmsghdr>& messages = messages_;
  for (uint64_t i = 0; i < count; ++i) {
    std::span<uint8_t> out(buffers_.data() + i * kMaxDatagram, kMaxDatagram);
    iovs[i].iov_base = out.data();
    iovs[i].iov_len = encoder_->encode(exporter.state, exporter.source, clock, out);
    messages[i] = mmsghdr{};
    messages[i].msg_hdr.msg_iov = &iovs[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  uint64_t sent = 0;
  while (sent < count) {
    const int n = sendmmsg(exporter.fd, messages.data() + sent, static_cast<unsigned>(count - sent), 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      result.send_errors += count - sent;  // e.g. ECONNREFUSED while the receiver is not up
      return;
    }
    sent += static_cast<uint64_t>(n);
  }
  result.datagrams_sent += sent;
}

}  // namespace flowd::load
