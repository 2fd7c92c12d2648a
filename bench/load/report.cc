#include "report.h"

#include <cstdio>
#include <optional>
#include <string>

namespace flowd::load {
namespace {

struct Means {
  int runs = 0;
  double sent_fps = 0;
  double achieved_fps = 0;
  double cpu_us = 0;
  double drops = 0;
  double rss_mib = 0;
};

double sent_rate(const RunResult& r) {
  return r.send.elapsed_s > 0 ? static_cast<double>(r.send.flows_sent) / r.send.elapsed_s : 0;
}

Means means_of(const std::vector<RunResult>& runs, ReceiverKind kind) {
  Means m;
  for (const RunResult& r : runs) {
    if (r.kind != kind) continue;
    ++m.runs;
    m.sent_fps += sent_rate(r);
    m.achieved_fps += r.achieved_fps();
    m.cpu_us += r.cpu_us_per_1k_flows();
    m.drops += static_cast<double>(r.drops);
    m.rss_mib += static_cast<double>(r.peak_rss_kib) / 1024;
  }
  if (m.runs > 0) {
    const double n = m.runs;
    m.sent_fps /= n;
    m.achieved_fps /= n;
    m.cpu_us /= n;
    m.drops /= n;
    m.rss_mib /= n;
  }
  return m;
}

std::string format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

void print_row(std::ostream& out, const std::string& name, double sent, double achieved, double cpu_us,
               double drops, double rss_mib, const std::string& decoded, const std::string& sender_cpu) {
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-10.0f %-13.0f %-20.1f %-10.0f %-13.1f %-14s %s\n", name.c_str(),
                sent, achieved, cpu_us, drops, rss_mib, decoded.c_str(), sender_cpu.c_str());
  out << line;
}

std::string drops_ratio(double ours, double peer) {
  if (ours == 0 && peer == 0) return "n/a (both 0)";
  if (peer == 0) return "inf (" + format("%.0f", ours) + " vs 0)";
  return format("%.2f", ours / peer);
}

void print_warnings(std::ostream& out, const std::vector<RunResult>& runs) {
  for (const RunResult& r : runs) {
    const std::string name(to_string(r.kind));
    if (!r.send.kept_up()) {
      out << "warning: sender fell behind for " << name << ": sent " << r.send.datagrams_sent << " of "
          << r.send.datagrams_planned << " datagrams (largest backlog " << r.send.max_backlog << ")\n";
    }
    if (r.send.send_errors > 0) out << "warning: " << r.send.send_errors << " datagrams failed to send (" << name << ")\n";
    if (r.receiver_died) out << "warning: " << name << " exited during the run\n";
  }
}

}  // namespace

void print_header(std::ostream& out, const Options& o) {
  out << "protocol " << to_string(o.protocol) << ", " << format("%.0f", o.flows_per_second) << " flows/s offered, "
      << o.duration_s << " s, " << o.exporters << " exporters, ";
  if (o.distinct) out << "distinct conversations\n";
  else out << o.conversations << " conversations\n";
}

void print_table_head(std::ostream& out) {
  out << "run          sent_fps   achieved_fps  cpu_us_per_1k_flows  drops      peak_rss_MiB  "
         "flows_decoded  sender_cpu_us_per_1k\n";
}

void print_run(std::ostream& out, const RunResult& r, int round) {
  const std::string name = std::string(to_string(r.kind)) + "#" + std::to_string(round);
  const std::string decoded = r.decoded ? format("%.0f", *r.decoded) : "-";
  print_row(out, name, sent_rate(r), r.achieved_fps(), r.cpu_us_per_1k_flows(), static_cast<double>(r.drops),
            static_cast<double>(r.peak_rss_kib) / 1024, decoded, format("%.1f", r.sender_cpu_us_per_1k_flows()));
  if (r.passed && r.deduplicated) {
    out << "  reduce: " << format("%.0f", *r.passed) << " records passed, " << format("%.0f", *r.deduplicated)
        << " deduplicated\n";
  }
  out.flush();
}

void print_summary(std::ostream& out, const Options& o, const std::vector<RunResult>& runs) {
  const Means ours = means_of(runs, ReceiverKind::kFlowd);
  if (o.peer && ours.runs > 1) {
    out << "mean over rounds:\n";
    for (const ReceiverKind kind : {ReceiverKind::kFlowd, *o.peer}) {
      const Means m = means_of(runs, kind);
      print_row(out, std::string(to_string(kind)), m.sent_fps, m.achieved_fps, m.cpu_us, m.drops, m.rss_mib,
                "-", "-");
    }
  }
  if (o.peer) {
    const Means peer = means_of(runs, *o.peer);
    out << "ratio flowd/" << to_string(*o.peer) << ": cpu "
        << (peer.cpu_us > 0 ? format("%.2f", ours.cpu_us / peer.cpu_us) : "n/a") << ", drops "
        << drops_ratio(ours.drops, peer.drops) << ", peak rss "
        << (peer.rss_mib > 0 ? format("%.2f", ours.rss_mib / peer.rss_mib) : "n/a") << "\n";
  }
  print_warnings(out, runs);
}

}  // namespace flowd::load
