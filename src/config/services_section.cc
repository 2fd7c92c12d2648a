#include <map>
#include <tuple>

#include "sections.h"
#include "value_readers.h"

namespace flowd::config_detail {
namespace {

ServiceOverride read_override(const Field& field) {
  if (field.is_null() || !field.node().IsMap()) {
    field.fail("expected a map with port and name, got " + describe(field.node()));
  }
  const Section section(field, keys::kServiceOverride);
  ServiceOverride service;
  service.port = static_cast<uint16_t>(read_unsigned(section.require("port"), 1, 65535));
  service.name = read_nonempty_text(section.require("name"));
  if (auto protocol = section.find("protocol")) service.protocol = read_protocol(*protocol);
  if (auto address = section.find("address")) service.address = read_ip(*address);
  return service;
}

std::string describe_match(const ServiceOverride& service) {
  std::string text = "port " + std::to_string(service.port);
  if (service.protocol) text += " protocol " + std::to_string(*service.protocol);
  if (service.address) text += " address " + service.address->to_string();
  return text;
}

}  // namespace

void read_services(const Field& field, Config& config) {
  const Section section(field, keys::kServices);
  const std::optional<Field> overrides = section.find("overrides");
  if (!overrides) return;
  using Match = std::tuple<std::optional<IpAddress>, uint16_t, std::optional<uint8_t>>;
  std::map<Match, std::string> first_path;
  config.service_overrides.clear();
  for (const Field& item : overrides->items()) {
    ServiceOverride service = read_override(item);
    const auto [earlier, inserted] =
        first_path.emplace(Match{service.address, service.port, service.protocol}, item.path());
    if (!inserted) {
      item.fail("the override for " + describe_match(service) + " is already given by " + earlier->second);
    }
    config.service_overrides.push_back(std::move(service));
  }
}

}  // namespace flowd::config_detail
