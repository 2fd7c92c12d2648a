#include "sections.h"

#include <limits>
#include <set>
#include <utility>

#include "onefirewall_flowd/config/units.h"
#include "value_readers.h"

namespace flowd::config_detail {
namespace {

constexpr uint32_t kMaxWorkers = 1024;
constexpr uint64_t kMinReceiveBuffer = 4ull << 10;
constexpr uint64_t kMaxReceiveBuffer = 1ull << 30;  // SO_RCVBUF takes an int
constexpr uint64_t kMinSpoolSize = 1ull << 20;
constexpr uint64_t kMaxCapacity = std::numeric_limits<uint32_t>::max();
// Durations are bounded so that deadlines computed from them stay far from overflow.
constexpr std::chrono::milliseconds kShortestDuration{1};
constexpr std::chrono::milliseconds kLongestReduceWindow = std::chrono::hours{8760};
constexpr std::chrono::milliseconds kLongestTemplateLifetime = std::chrono::hours{168};

// listen_tcp may be empty (no TCP listener); listen may not.
std::vector<Endpoint> read_listen(const Field& field, bool may_be_empty = false) {
  std::vector<Endpoint> endpoints;
  std::set<std::pair<IpAddress, uint16_t>> seen;  // a set, as lists of many thousands must stay quick
  for (const Field& item : field.items()) {
    const Endpoint endpoint = read_endpoint(item);
    if (!seen.emplace(endpoint.address, endpoint.port).second) {
      item.fail(quote(item.node().Scalar()) + " is listed twice");
    }
    endpoints.push_back(endpoint);
  }
  if (endpoints.empty() && !may_be_empty) field.fail("must list at least one endpoint");
  return endpoints;
}

void read_reduce(const Field& field, Config& config) {
  const Section section(field, keys::kReduce);
  if (auto window = section.find("window")) {
    config.reduce_window = read_duration_in(*window, kShortestDuration, kLongestReduceWindow, true);
  }
  if (auto capacity = section.find("capacity")) {
    config.reduce_capacity = read_unsigned(*capacity, 1, kMaxCapacity);
  }
}

void read_queue(const Field& field, Config& config) {
  const Section section(field, keys::kQueue);
  if (auto capacity = section.find("capacity")) {
    config.queue_capacity = read_unsigned(*capacity, 1, kMaxCapacity);
  }
}

void read_spool(const Field& field, Config& config) {
  const Section section(field, keys::kSpool);
  if (auto path = section.find("path")) config.spool_path = read_nonempty_text(*path);
  if (auto max_size = section.find("max_size")) {
    config.spool_max_size = read_size(*max_size, kMinSpoolSize, std::numeric_limits<uint64_t>::max());
  }
}

void read_templates(const Field& field, Config& config) {
  const Section section(field, keys::kTemplates);
  if (auto lifetime = section.find("lifetime")) {
    config.template_lifetime =
        read_duration_in(*lifetime, kShortestDuration, kLongestTemplateLifetime, false);
  }
  if (auto persist = section.find("persist")) config.templates_persist = read_bool(*persist);
}

void read_metrics(const Field& field, Config& config) {
  const Section section(field, keys::kMetrics);
  if (auto listen = section.find("listen")) config.metrics_listen = read_endpoint(*listen);
}

void read_log(const Field& field, Config& config) {
  const Section section(field, keys::kLog);
  if (auto level = section.find("level")) config.log_level = read_log_level(*level);
}

}  // namespace

void read_top_level(const Field& root, Config& config) {
  const Section section(root, keys::kTopLevel);
  if (auto listen = section.find("listen")) config.listen = read_listen(*listen);
  if (auto listen_tcp = section.find("listen_tcp")) config.listen_tcp = read_listen(*listen_tcp, true);
  if (auto workers = section.find("workers")) {
    config.workers = static_cast<uint32_t>(read_unsigned(*workers, 0, kMaxWorkers));
  }
  if (auto buffer = section.find("receive_buffer")) {
    config.receive_buffer = read_size(*buffer, kMinReceiveBuffer, kMaxReceiveBuffer);
  }
  if (auto exporters = section.find("exporters")) read_exporters(*exporters, config);
  if (auto services = section.find("services")) read_services(*services, config);
  if (auto reduce = section.find("reduce")) read_reduce(*reduce, config);
  if (auto queue = section.find("queue")) read_queue(*queue, config);
  if (auto spool = section.find("spool")) read_spool(*spool, config);
  if (auto templates = section.find("templates")) read_templates(*templates, config);
  if (auto api = section.find("api")) read_api(*api, config.api);
  if (auto metrics = section.find("metrics")) read_metrics(*metrics, config);
  if (auto log = section.find("log")) read_log(*log, config);
}

}  // namespace flowd::config_detail
