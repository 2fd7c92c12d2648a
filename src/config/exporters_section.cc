#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "sections.h"
#include "value_readers.h"

namespace flowd::config_detail {
namespace {

constexpr std::chrono::milliseconds kShortestSilence = std::chrono::seconds{1};
constexpr std::chrono::milliseconds kLongestSilence = std::chrono::hours{720};

// An unquoted number (sign included, so that -2 is refused as out of range).
bool is_written_as_number(const Field& field) {
  if (field.is_quoted() || !field.node().IsScalar()) return false;
  std::string_view text = field.node().Scalar();
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Each item is an SNMP index, or an interface name (IE 82) the exporter announces.
void read_outside_interfaces(const Field& list, ExporterPolicy& policy) {
  policy.outside_interfaces.clear();
  policy.outside_interface_names.clear();
  for (const Field& item : list.items()) {
    if (is_written_as_number(item)) {
      policy.outside_interfaces.push_back(
          static_cast<uint32_t>(read_unsigned(item, 0, std::numeric_limits<uint32_t>::max())));
    } else {
      std::string name = read_nonempty_text(item);
      // Longer names are cut when learned (ShortText), so they could never match.
      if (name.size() > 64)
        item.fail("an interface name is at most 64 bytes, got " + std::to_string(name.size()));
      policy.outside_interface_names.push_back(std::move(name));
    }
  }
}

// The policy keys present in `section` override the inherited ones, one by one.
ExporterPolicy read_policy(const Section& section, ExporterPolicy policy) {
  if (auto networks = section.find("internal_networks")) {
    policy.internal_networks = read_list(*networks, read_cidr);
  }
  if (auto interfaces = section.find("outside_interfaces")) {
    read_outside_interfaces(*interfaces, policy);
  }
  if (auto action = section.find("default_action")) policy.default_action = read_action(*action);
  if (auto zero_is_deny = section.find("output_interface_zero_is_deny")) {
    policy.output_interface_zero_is_deny = read_bool(*zero_is_deny);
  }
  return policy;
}

ExporterConfig read_exporter(const Field& field, const ExporterPolicy& defaults) {
  if (field.is_null() || !field.node().IsMap()) {
    field.fail("expected a map with address and name, got " + describe(field.node()));
  }
  const Section section(field, keys::kExporterEntry);
  ExporterConfig exporter;
  exporter.address = read_cidr(section.require("address"));
  exporter.name = read_nonempty_text(section.require("name"));
  if (auto domain = section.find("observation_domain")) {
    exporter.observation_domain =
        static_cast<uint32_t>(read_unsigned(*domain, 0, std::numeric_limits<uint32_t>::max()));
  }
  exporter.policy = read_policy(section, defaults);
  return exporter;
}

std::string describe_identity(const ExporterConfig& exporter) {
  const Cidr& address = exporter.address;
  const bool single_host = address.length == (address.network.is_v4() ? 32 : 128);
  std::string text = "address " + quote(single_host ? address.network.to_string() : address.to_string());
  if (exporter.observation_domain) {
    text += " with observation_domain " + std::to_string(*exporter.observation_domain);
  }
  return text;
}

// One exporter identity (address, observation domain) may be listed once; one
// name on several entries is fine (a firewall exporting from several addresses).
std::vector<ExporterConfig> read_exporter_list(const Field& field, const ExporterPolicy& defaults) {
  using Identity = std::tuple<IpAddress, uint8_t, std::optional<uint32_t>>;
  std::map<Identity, std::string> first_path;
  std::vector<ExporterConfig> exporters;
  for (const Field& item : field.items()) {
    ExporterConfig exporter = read_exporter(item, defaults);
    const Identity identity{exporter.address.network, exporter.address.length, exporter.observation_domain};
    const auto [earlier, inserted] = first_path.emplace(identity, item.path());
    if (!inserted) item.fail(describe_identity(exporter) + " is already listed as " + earlier->second);
    exporters.push_back(std::move(exporter));
  }
  return exporters;
}

}  // namespace

void read_exporters(const Field& field, Config& config) {
  const Section section(field, keys::kExporters);
  if (auto accept_unknown = section.find("accept_unknown")) {
    config.accept_unknown_exporters = read_bool(*accept_unknown);
  }
  if (auto silent_after = section.find("silent_after")) {
    config.exporter_silent_after = read_duration_in(*silent_after, kShortestSilence, kLongestSilence, false);
  }
  if (auto defaults = section.find("defaults")) {
    config.exporter_defaults =
        read_policy(Section(*defaults, keys::kExporterPolicy), config.exporter_defaults);
  }
  if (auto list = section.find("list")) {
    config.exporters = read_exporter_list(*list, config.exporter_defaults);
  }
}

}  // namespace flowd::config_detail
