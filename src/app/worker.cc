#include "onefirewall_flowd/app/worker.h"

#include <spdlog/spdlog.h>

namespace flowd {
namespace {

void add_counter(Counter& total, const Counter& part) {
  total.add(part.value());
}

template <typename Reason>
void add_reasons(ReasonCounters<Reason>& total, const ReasonCounters<Reason>& part) {
  for (size_t i = 0; i < ReasonCounters<Reason>::kSize; ++i) {
    const auto reason = static_cast<Reason>(i);
    total.add(reason, part.value(reason));
  }
}

// A counter added to these structs must be added to add_to() below.
static_assert(sizeof(ListenerStats) == 5 * sizeof(Counter));
static_assert(sizeof(DecodeStats) == 7 * sizeof(Counter) + sizeof(ReasonCounters<DecodeError>));
static_assert(sizeof(EnrichStats) == sizeof(Counter) + sizeof(ReasonCounters<ScopeDrop>));

}  // namespace

void add_to(WorkerStats& total, const WorkerStats& part) {
  add_counter(total.net.datagrams, part.net.datagrams);
  add_counter(total.net.bytes, part.net.bytes);
  add_counter(total.net.receive_errors, part.net.receive_errors);
  add_counter(total.net.truncated, part.net.truncated);
  add_counter(total.net.wakeups, part.net.wakeups);
  add_counter(total.decode.datagrams, part.decode.datagrams);
  add_counter(total.decode.flows, part.decode.flows);
  add_counter(total.decode.templates_learned, part.decode.templates_learned);
  add_counter(total.decode.pending_held, part.decode.pending_held);
  add_counter(total.decode.pending_decoded, part.decode.pending_decoded);
  add_counter(total.decode.sequence_lost, part.decode.sequence_lost);
  add_counter(total.decode.sequence_resets, part.decode.sequence_resets);
  add_reasons(total.decode.errors, part.decode.errors);
  add_counter(total.enrich.events, part.enrich.events);
  add_reasons(total.enrich.out_of_scope, part.enrich.out_of_scope);
}

Worker::Worker(const Config& config, SharedStages& shared, FailureHandler on_failure, size_t workers)
    : work_(io_.get_executor()),
      pipeline_(config, stats_.decode, stats_.enrich, shared, workers),
      listener_(io_, stats_.net, [this](const Datagram& d) { on_datagram(d); }),
      on_failure_(std::move(on_failure)) {}

Worker::~Worker() {
  stop();
  join();
}

void Worker::listen(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer, PortSharing sharing) {
  listener_.start(endpoints, receive_buffer, sharing);
}

std::vector<boost::asio::ip::udp::endpoint> Worker::local_endpoints() const {
  return listener_.local_endpoints();
}

void Worker::start() {
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  post([this] { listener_.stop(); });
  work_.reset();
}

void Worker::reconfigure(const Config& config) {
  auto enricher = std::make_unique<Enricher>(config, stats_.enrich);
  post([this, enricher = std::move(enricher), admission = exporter_admission(config)]() mutable {
    pipeline_.set_enricher(std::move(enricher));
    pipeline_.set_admission(std::move(admission));
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::run_posted() {
  if (io_.stopped()) io_.restart();
  io_.poll();
}

void Worker::on_datagram(const Datagram& datagram) {
  if (pipeline_.process(datagram) || failed_) return;
  failed_ = true;
  on_failure_("cannot write records to stdout");
}

// Receives until stopped; the tasks posted meanwhile run between two drains
// (post() wakes the listener for them).
void Worker::run() {
  try {
    while (!listener_.stopped()) {
      run_posted();
      listener_.receive_once();
    }
    if (const size_t queued = listener_.drain_queued()) {
      spdlog::debug("read {} datagrams queued in the socket at stop", queued);
    }
    run_posted();  // a task posted while stopping still keeps its promise
  } catch (const std::exception& e) {
    on_failure_(std::string("receive worker failed: ") + e.what());
  }
}

}  // namespace flowd
