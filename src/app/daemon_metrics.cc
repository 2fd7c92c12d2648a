#include "onefirewall_flowd/app/daemon_metrics.h"

#include <chrono>
#include <map>

#include "onefirewall_flowd/app/exporter_liveness.h"
#include "onefirewall_flowd/app/version.h"

namespace flowd {
namespace {

template <typename Reason>
void reason_family(MetricsWriter& w, std::string_view name, std::string_view help,
                   const ReasonCounters<Reason>& counters, size_t first = 0) {
  w.family(name, help, "counter");
  for (size_t i = first; i < ReasonCounters<Reason>::kSize; ++i) {
    const auto reason = static_cast<Reason>(i);
    w.sample(name, {{"reason", std::string(to_string(reason))}}, static_cast<double>(counters.value(reason)));
  }
}

void receive_metrics(MetricsWriter& w, const ListenerStats& net) {
  w.counter("packets_received_total", "UDP datagrams received.", net.datagrams.value());
  w.counter("bytes_received_total", "UDP payload bytes received.", net.bytes.value());
  w.counter("receive_errors_total", "Socket receive errors.", net.receive_errors.value());
  w.counter("datagrams_truncated_total", "Datagrams larger than a receive slot, dropped.",
            net.truncated.value());
  w.counter("receive_wakeups_total", "Times the receive loop woke up to drain its sockets.",
            net.wakeups.value());
}

void tcp_metrics(MetricsWriter& w, const TcpListenerStats& tcp) {
  w.gauge("tcp_connections", "IPFIX-over-TCP connections open.",
          static_cast<double>(tcp.open.load(std::memory_order_relaxed)));
  w.counter("tcp_connections_accepted_total", "IPFIX-over-TCP connections accepted, refused ones included.",
            tcp.accepted.value());
  reason_family(w, "tcp_connections_closed_total", "IPFIX-over-TCP connections closed, by reason.",
                tcp.closed);
  w.counter("tcp_messages_total", "IPFIX messages received over TCP.", tcp.messages.value());
  w.counter("tcp_bytes_received_total", "Bytes received over IPFIX-over-TCP connections.", tcp.bytes.value());
}

void worker_metrics(MetricsWriter& w, const WorkerPool& workers) {
  w.gauge("workers", "Receive and decode threads.", static_cast<double>(workers.size()));
  w.family("worker_packets_received_total", "UDP datagrams received, per receive worker.", "counter");
  for (size_t i = 0; i < workers.size(); ++i) {
    w.sample("worker_packets_received_total", {{"worker", std::to_string(i)}},
             static_cast<double>(workers.worker(i).stats().net.datagrams.value()));
  }
}

std::map<IpAddress, ExporterCounts> exporter_metrics(MetricsWriter& w, const WorkerPool& workers) {
  std::map<IpAddress, ExporterCounts> totals;
  ExporterCounts other;
  workers.add_exporters_to(totals, other);
  const auto per_exporter = [&](std::string_view name, std::string_view help,
                                uint64_t ExporterCounts::*field) {
    w.family(name, help, "counter");
    for (const auto& [address, counts] : totals) {
      w.sample(name, {{"exporter", address.to_string()}}, static_cast<double>(counts.*field));
    }
    if (other.packets > 0) w.sample(name, {{"exporter", "other"}}, static_cast<double>(other.*field));
  };
  per_exporter("exporter_packets_total", "Datagrams received, per exporter.", &ExporterCounts::packets);
  per_exporter("exporter_flows_total", "Flow records decoded, per exporter.", &ExporterCounts::flows);
  per_exporter("exporter_sequence_lost_total", "Export sequence gaps, per exporter.",
               &ExporterCounts::sequence_lost);
  w.family("exporter_last_heard_seconds", "Unix time of the latest datagram, per exporter.", "gauge");
  for (const auto& [address, counts] : totals) {
    w.sample("exporter_last_heard_seconds", {{"exporter", address.to_string()}},
             static_cast<double>(counts.last_heard));
  }
  return totals;
}

void liveness_metrics(MetricsWriter& w, const DaemonInfo& info,
                      const std::map<IpAddress, ExporterCounts>& heard) {
  const auto liveness = listed_exporter_liveness(info.config.exporters, heard, unix_seconds_now(),
                                                 info.started_at, info.config.exporter_silent_after);
  const auto silent = std::count_if(liveness.begin(), liveness.end(), [](const auto& e) { return e.silent; });
  w.gauge("exporters_silent", "Listed exporters heard from nothing for longer than exporters.silent_after.",
          static_cast<double>(silent));
}

void build_metrics(MetricsWriter& w, const DaemonInfo& info) {
  w.family("build_info", "The running version; always 1.", "gauge");
  w.sample("build_info", {{"version", kVersion}}, 1);
  w.gauge("start_time_seconds", "Unix time the daemon started.", static_cast<double>(info.started_at));
}

void decode_metrics(MetricsWriter& w, const DecodeStats& d, size_t templates_active) {
  w.counter("flows_decoded_total", "Flow records decoded.", d.flows.value());
  w.gauge("templates_active",
          "v9 and IPFIX templates held, over all exporters, domains and workers "
          "(a template restored at start is held by every worker).",
          static_cast<double>(templates_active));
  reason_family(w, "decode_errors_total", "Datagrams, sets or records not decoded, by reason.", d.errors, 1);
  w.counter("templates_learned_total", "Template and options template records accepted.",
            d.templates_learned.value());
  w.counter("pending_sets_held_total", "Data sets held until their template arrived.",
            d.pending_held.value());
  w.counter("pending_sets_decoded_total", "Held data sets decoded once their template came.",
            d.pending_decoded.value());
  w.counter("sequence_lost_total", "Export sequence gaps: v5 flows, v9 packets, IPFIX records.",
            d.sequence_lost.value());
  w.counter("sequence_resets_total",
            "Export sequence numbers that went backwards or jumped more than 2^24 ahead.",
            d.sequence_resets.value());
}

void enrich_reduce_metrics(MetricsWriter& w, const EnrichStats& enrich, const ReduceStats& reduce) {
  w.counter("records_total", "Flows that became API records before reduce.", enrich.events.value());
  reason_family(w, "records_out_of_scope_total", "Flows that became no record, by reason.",
                enrich.out_of_scope, 1);
  w.counter("records_deduplicated_total", "Records suppressed as repeats within reduce.window.",
            reduce.deduplicated.value());
  w.counter("reduce_evicted_total", "Conversations forgotten early because the reduce table was full.",
            reduce.evicted.value());
  w.counter("records_passed_total", "Records let through by reduce.", reduce.passed.value());
}

// DESIGN.md, "Delivery order": what waits, for how long, and what reached the API first.
void order_metrics(MetricsWriter& w, const DeliverStats& d) {
  w.gauge("waiting_hosts", "External hosts with records waiting for delivery.",
          static_cast<double>(d.waiting_hosts.value()));
  w.gauge("oldest_waiting_seconds", "How long the oldest record waiting for delivery has waited.",
          oldest_waiting_seconds(d, unix_ms(std::chrono::system_clock::now())));
  w.gauge("remembered_hosts", "External hosts in the memory of reported hosts (api.host_memory).",
          static_cast<double>(d.remembered_hosts.value()));
  w.counter("new_hosts_reported_total",
            "Records delivered for an external host not reported within api.host_memory.",
            d.new_hosts_reported.value());
  w.histogram("delivery_delay_seconds", "Time from a record's admission to its acceptance by the API.",
              d.delivery_delay.snapshot());
}

// delivery_state has one sample per state, 1 for the current one; the latest error keeps its time.
void state_metrics(MetricsWriter& w, const DeliverStats& d) {
  const DeliveryState state = delivery_state(d);
  w.family("delivery_state", "1 for the current delivery state, 0 for the others.", "gauge");
  for (size_t i = 0; i < static_cast<size_t>(DeliveryState::kCount); ++i) {
    const auto each = static_cast<DeliveryState>(i);
    w.sample("delivery_state", {{"state", std::string(to_string(each))}}, each == state ? 1 : 0);
  }
  w.family("delivery_last_error_seconds", "Unix time of the latest failed request, labelled with its error.",
           "gauge");
  if (const uint64_t error = d.last_error.value()) {
    w.sample("delivery_last_error_seconds", {{"error", describe_outcome(error)}},
             static_cast<double>(d.last_error_ms.value()) / 1000.0);
  }
}

void delivery_metrics(MetricsWriter& w, const Delivery& delivery) {
  if (delivery.dry()) {
    w.counter("records_written_total", "Records written to stdout in --dry-run.", delivery.written());
    return;
  }
  const DeliverStats& d = delivery.stats();
  w.gauge("queue_depth", "Records waiting for delivery, in memory and in the spool.",
          static_cast<double>(d.queue_depth.value()));
  w.gauge("spool_bytes", "Bytes of records in the spool.", static_cast<double>(d.spool_bytes.value()));
  w.gauge("spool_disk_bytes", "Bytes the spool's files use: pages in use plus the WAL.",
          static_cast<double>(d.spool_disk_bytes.value()));
  w.counter("spool_damaged_total", "Damaged spools moved aside at start.", d.spool_damaged.value());
  w.counter("records_salvaged_total", "Records carried over from a damaged spool.",
            d.records_salvaged.value());
  w.gauge("delivery_paused", "1 while the API refuses the token.",
          static_cast<double>(d.auth_paused.value()));
  w.counter("requests_started_total", "Requests sent to the API.", d.requests.value());
  w.family("requests_total", "API answers by HTTP status code.", "counter");
  for (long code = 100; code < StatusCounters::kMax; ++code) {
    if (const uint64_t n = d.responses.value(code))
      w.sample("requests_total", {{"code", std::to_string(code)}}, static_cast<double>(n));
  }
  reason_family(w, "request_errors_total", "Requests that got no HTTP answer, by reason.",
                d.transport_errors);
  w.counter("records_delivered_total", "Records the API accepted.", d.delivered.value());
  w.counter("records_dead_lettered_total", "Records the API rejected (4xx), kept in the dead_letter table.",
            d.dead_lettered.value());
  w.counter("delivery_retries_total", "Records sent back to wait after a failed attempt.", d.retries.value());
  w.gauge("delivery_rate_limit",
          "Requests per api.rate_limit.period allowed now: less while the API throttles.",
          static_cast<double>(d.rate_limit.value()));
  w.gauge("delivery_rate_limit_period_seconds", "api.rate_limit.period, the window of delivery_rate_limit.",
          static_cast<double>(d.rate_limit_period_ms.value()) / 1000.0);
  w.counter("delivery_throttled_total", "Times a 429 from the API cut the request rate.",
            d.throttled.value());
  reason_family(w, "records_dropped_total", "Records dropped before delivery, by reason.", d.dropped);
  state_metrics(w, d);
  order_metrics(w, d);
}

}  // namespace

void register_daemon_metrics(MetricsRegistry& registry, const DaemonInfo& info, const WorkerPool& workers,
                             const ReduceStats& reduce, const Delivery& delivery) {
  registry.add([&info, &workers, &reduce](MetricsWriter& w) {
    WorkerStats total;
    workers.add_stats_to(total);
    build_metrics(w, info);
    receive_metrics(w, total.net);
    tcp_metrics(w, workers.tcp_stats());
    worker_metrics(w, workers);
    liveness_metrics(w, info, exporter_metrics(w, workers));
    decode_metrics(w, total.decode, workers.templates_active());
    enrich_reduce_metrics(w, total.enrich, reduce);
  });
  registry.add([&delivery](MetricsWriter& w) { delivery_metrics(w, delivery); });
}

}  // namespace flowd
