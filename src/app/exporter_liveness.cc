#include "onefirewall_flowd/app/exporter_liveness.h"

#include <algorithm>

namespace flowd {
namespace {

std::string listed_address(const Cidr& cidr) {
  const bool single_host = cidr.length == (cidr.network.is_v4() ? 32 : 128);
  return single_host ? cidr.network.to_string() : cidr.to_string();
}

int64_t last_heard_within(const Cidr& cidr, const std::map<IpAddress, ExporterCounts>& heard) {
  int64_t last = 0;
  for (const auto& [address, counts] : heard) {
    if (cidr.contains(address)) last = std::max(last, counts.last_heard);
  }
  return last;
}

}  // namespace

int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<ListedExporterLiveness> listed_exporter_liveness(const std::vector<ExporterConfig>& listed,
                                                             const std::map<IpAddress, ExporterCounts>& heard,
                                                             int64_t now_s, int64_t started_s,
                                                             std::chrono::milliseconds silent_after) {
  const int64_t limit_s = std::chrono::duration_cast<std::chrono::seconds>(silent_after).count();
  std::vector<ListedExporterLiveness> out;
  out.reserve(listed.size());
  for (const ExporterConfig& exporter : listed) {
    ListedExporterLiveness entry{exporter.name, listed_address(exporter.address),
                                 last_heard_within(exporter.address, heard), false};
    const int64_t since = entry.last_heard != 0 ? entry.last_heard : started_s;
    entry.silent = now_s - since > limit_s;
    out.push_back(std::move(entry));
  }
  return out;
}

std::string describe_silent(const std::vector<ListedExporterLiveness>& liveness, int64_t now_s) {
  std::string text;
  for (const ListedExporterLiveness& entry : liveness) {
    if (!entry.silent) continue;
    if (!text.empty()) text += ", ";
    text += entry.name + " (" + entry.address + ") ";
    text +=
        entry.last_heard == 0 ? "never heard" : "silent " + std::to_string(now_s - entry.last_heard) + " s";
  }
  return text;
}

}  // namespace flowd
