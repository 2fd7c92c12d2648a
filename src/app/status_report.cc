#include "onefirewall_flowd/app/status_report.h"

#include <algorithm>
#include <chrono>

#include "onefirewall_flowd/app/exporter_liveness.h"

namespace flowd {
namespace {

using Labels = std::map<std::string, std::string>;

std::string full_name(std::string_view name) {
  return "onefirewall_flowd_" + std::string(name);
}

double read(const PromText& text, std::string_view name, const Labels& labels = {}) {
  return text.value(full_name(name), labels).value_or(0);
}

// A counter's increase per second between the scrapes; a restart in between reads as 0.
double rate(const StatusInputs& in, std::string_view name, const Labels& labels = {}) {
  const double increase = read(in.second, name, labels) - read(in.first, name, labels);
  return increase > 0 && in.seconds > 0 ? increase / in.seconds : 0;
}

double sum_increase(const StatusInputs& in, std::string_view name) {
  double sum = 0;
  for (const PromSample* sample : in.second.all(full_name(name))) {
    sum += std::max(0.0, sample->value - in.first.value(sample->name, sample->labels).value_or(0));
  }
  return sum;
}

const ExporterConfig* listed_entry(const Config& config, const std::string& address) {
  const auto parsed = IpAddress::parse(address);
  if (!parsed) return nullptr;
  for (const ExporterConfig& exporter : config.exporters) {
    if (exporter.address.contains(*parsed)) return &exporter;
  }
  return nullptr;
}

ExporterStatus heard_exporter(const StatusInputs& in, const std::string& address) {
  const Labels labels{{"exporter", address}};
  ExporterStatus status{address, address};
  status.flows_per_second = rate(in, "exporter_flows_total", labels);
  status.last_heard = static_cast<int64_t>(read(in.second, "exporter_last_heard_seconds", labels));
  const double flows = read(in.second, "exporter_flows_total", labels);
  const double lost = read(in.second, "exporter_sequence_lost_total", labels);
  status.sequence_loss_percent = flows + lost > 0 ? 100 * lost / (flows + lost) : 0;
  if (const ExporterConfig* listed = listed_entry(in.config, address)) {
    const auto silent_after =
        std::chrono::duration_cast<std::chrono::seconds>(in.config.exporter_silent_after);
    status.name = listed->name;
    status.listed = true;
    status.silent = in.now - status.last_heard > silent_after.count();
  }
  return status;
}

void add_exporters(const StatusInputs& in, StatusReport& report) {
  std::map<IpAddress, ExporterCounts> heard;
  for (const PromSample* sample : in.second.all(full_name("exporter_flows_total"))) {
    const std::string& address = sample->labels.count("exporter") ? sample->labels.at("exporter") : "";
    report.exporters.push_back(heard_exporter(in, address));
    if (const auto parsed = IpAddress::parse(address))
      heard[*parsed].last_heard = report.exporters.back().last_heard;
  }
  const auto started = static_cast<int64_t>(read(in.second, "start_time_seconds"));
  for (const auto& entry : listed_exporter_liveness(in.config.exporters, heard, in.now, started,
                                                    in.config.exporter_silent_after)) {
    if (entry.last_heard == 0)
      report.exporters.push_back({entry.name, entry.address, true, 0, 0, 0, entry.silent});
  }
}

void add_delivery(const StatusInputs& in, StatusReport& report) {
  for (const PromSample* sample : in.second.all(full_name("delivery_state"))) {
    if (sample->value == 1 && sample->labels.count("state"))
      report.delivery_state = sample->labels.at("state");
  }
  report.dry_run = report.delivery_state.empty() && in.second.value(full_name("records_written_total"));
  for (const PromSample* sample : in.second.all(full_name("delivery_last_error_seconds"))) {
    report.last_error = sample->labels.count("error") ? sample->labels.at("error") : "";
    report.last_error_at = static_cast<int64_t>(sample->value);
  }
  report.requests_per_second = rate(in, "requests_started_total");
  const double period = std::chrono::duration<double>(in.config.api.rate_limit_period).count();
  const double allowed_per_second = in.config.api.rate_limit_requests / period;
  report.budget_use_percent =
      allowed_per_second > 0 ? 100 * report.requests_per_second / allowed_per_second : 0;
  report.backlog_records = static_cast<uint64_t>(read(in.second, "queue_depth"));
  report.waiting_hosts = static_cast<uint64_t>(read(in.second, "waiting_hosts"));
  report.oldest_waiting_seconds = read(in.second, "oldest_waiting_seconds");
  report.dead_letters = static_cast<uint64_t>(read(in.second, "records_dead_lettered_total"));
}

void add_problems(const StatusInputs& in, StatusReport& report) {
  if (in.health_reason) report.problems.push_back("unhealthy: " + *in.health_reason);
  if (!report.dry_run && report.delivery_state != "delivering") {
    std::string problem =
        "delivery " + (report.delivery_state.empty() ? "state unknown" : report.delivery_state);
    if (!report.last_error.empty()) problem += " (last error: " + report.last_error + ")";
    report.problems.push_back(problem);
  }
  for (const ExporterStatus& exporter : report.exporters) {
    if (!exporter.silent) continue;
    const std::string which = "listed exporter " + exporter.name + " (" + exporter.address + ")";
    report.problems.push_back(exporter.last_heard == 0
                                  ? which + " never heard from"
                                  : which + " silent for " + std::to_string(in.now - exporter.last_heard) +
                                        " s");
  }
  if (const double dropped = sum_increase(in, "records_dropped_total"); dropped > 0) {
    report.problems.push_back(std::to_string(static_cast<uint64_t>(dropped)) +
                              " records dropped during the check");
  }
}

}  // namespace

StatusReport build_status_report(const StatusInputs& in) {
  StatusReport report;
  for (const PromSample* sample : in.second.all(full_name("build_info"))) {
    if (sample->labels.count("version")) report.version = sample->labels.at("version");
  }
  const double started = read(in.second, "start_time_seconds");
  report.uptime_seconds = started > 0 ? std::max<int64_t>(0, in.now - static_cast<int64_t>(started)) : 0;
  add_exporters(in, report);
  for (const PromSample* sample : in.second.all(full_name("decode_errors_total"))) {
    if (sample->value > 0 && sample->labels.count("reason")) {
      report.decode_errors[sample->labels.at("reason")] = static_cast<uint64_t>(sample->value);
    }
  }
  report.records_per_second = rate(in, "records_total");
  report.records_passed_per_second = rate(in, "records_passed_total");
  add_delivery(in, report);
  add_problems(in, report);
  return report;
}

}  // namespace flowd
