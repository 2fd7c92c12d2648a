#include <fmt/format.h>

#include "onefirewall_flowd/app/status_report.h"

namespace flowd {
namespace {

std::string duration_text(int64_t seconds) {
  if (seconds < 120) return fmt::format("{} s", seconds);
  if (seconds < 7200) return fmt::format("{} min", seconds / 60);
  if (seconds < 172800) return fmt::format("{} h {} min", seconds / 3600, seconds / 60 % 60);
  return fmt::format("{} d {} h", seconds / 86400, seconds / 3600 % 24);
}

std::string ago(int64_t when, int64_t now) {
  return when == 0 ? "never" : duration_text(std::max<int64_t>(0, now - when)) + " ago";
}

std::string exporter_lines(const StatusReport& report, int64_t now) {
  if (report.exporters.empty()) return "Exporters: none heard from\n";
  std::string text = fmt::format("Exporters:\n  {:<20} {:<18} {:>9}  {:<14} {:>6}\n", "NAME", "ADDRESS",
                                 "FLOWS/S", "LAST HEARD", "LOSS");
  for (const ExporterStatus& e : report.exporters) {
    const bool heard = e.last_heard != 0;
    text += fmt::format("  {:<20} {:<18} {:>9}  {:<14} {:>6}{}\n", e.name, e.address,
                        heard ? fmt::format("{:.1f}", e.flows_per_second) : "-", ago(e.last_heard, now),
                        heard ? fmt::format("{:.1f}%", e.sequence_loss_percent) : "-",
                        e.silent ? "  SILENT" : "");
  }
  return text;
}

std::string decode_error_line(const StatusReport& report) {
  std::string text = "Decode errors:";
  if (report.decode_errors.empty()) return text + " none\n";
  for (const auto& [reason, count] : report.decode_errors) text += fmt::format(" {} {},", reason, count);
  text.back() = '\n';
  return text;
}

std::string delivery_lines(const StatusReport& report, int64_t now) {
  if (report.dry_run) return "Delivery: dry run, records go to stdout\n";
  std::string text = fmt::format("Delivery: {}, {:.1f} requests/s, {:.0f}% of api.rate_limit\n",
                                 report.delivery_state.empty() ? "unknown" : report.delivery_state,
                                 report.requests_per_second, report.budget_use_percent);
  if (!report.last_error.empty()) {
    text += fmt::format("  last error: {}, {}\n", report.last_error, ago(report.last_error_at, now));
  }
  text += fmt::format("Backlog: {} records of {} hosts, oldest {:.0f} s\n", report.backlog_records,
                      report.waiting_hosts, report.oldest_waiting_seconds);
  text += fmt::format("Dead letters: {}\n", report.dead_letters);
  return text;
}

}  // namespace

std::string render_status_text(const StatusReport& report, int64_t now) {
  std::string text = fmt::format("onefirewall-flowd {}, up {}\n",
                                 report.version.empty() ? "(unknown version)" : report.version,
                                 duration_text(report.uptime_seconds));
  text += exporter_lines(report, now);
  text += decode_error_line(report);
  text += fmt::format("Records: {:.1f}/s before reduce, {:.1f}/s after\n", report.records_per_second,
                      report.records_passed_per_second);
  text += delivery_lines(report, now);
  if (report.healthy()) return text + "Status: healthy\n";
  text += "Status: DEGRADED\n";
  for (const std::string& problem : report.problems) text += "  - " + problem + "\n";
  return text;
}

nlohmann::json status_json(const StatusReport& report) {
  nlohmann::json exporters = nlohmann::json::array();
  for (const ExporterStatus& e : report.exporters) {
    exporters.push_back({{"name", e.name},
                         {"address", e.address},
                         {"listed", e.listed},
                         {"flows_per_second", e.flows_per_second},
                         {"last_heard", e.last_heard},
                         {"sequence_loss_percent", e.sequence_loss_percent},
                         {"silent", e.silent}});
  }
  return {
      {"version", report.version},
      {"uptime_seconds", report.uptime_seconds},
      {"healthy", report.healthy()},
      {"problems", report.problems},
      {"exporters", exporters},
      {"decode_errors", report.decode_errors},
      {"records_per_second",
       {{"before_reduce", report.records_per_second}, {"after_reduce", report.records_passed_per_second}}},
      {"delivery",
       {{"state", report.dry_run ? "dry_run" : report.delivery_state},
        {"last_error", report.last_error},
        {"last_error_at", report.last_error_at},
        {"requests_per_second", report.requests_per_second},
        {"budget_use_percent", report.budget_use_percent},
        {"dead_letters", report.dead_letters}}},
      {"backlog",
       {{"records", report.backlog_records},
        {"waiting_hosts", report.waiting_hosts},
        {"oldest_waiting_seconds", report.oldest_waiting_seconds}}}};
}

}  // namespace flowd
