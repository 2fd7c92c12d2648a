#include "onefirewall_flowd/deliver/event_json.h"

#include <string_view>

namespace flowd {
namespace {

void append_json_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;  // UTF-8 passes through; config strings are validated UTF-8 by yaml-cpp
    }
  }
  out += '"';
}

void append_field(std::string_view key, std::string_view value, std::string& out) {
  out += '"';
  out += key;
  out += "\":";
  append_json_string(value, out);
}

}  // namespace

void append_event_json(const Event& e, std::string& out) {
  out += '{';
  append_field("firewall", e.firewall, out);
  out += ',';
  append_field("direction", to_string(e.direction), out);
  out += ',';
  append_field("src_ip", e.src_ip.to_string(), out);
  out += ',';
  append_field("dst_ip", e.dst_ip.to_string(), out);
  out += ",\"src_port\":";
  out += std::to_string(e.src_port);
  out += ",\"dst_port\":";
  out += std::to_string(e.dst_port);
  out += ',';
  append_field("service", e.service, out);
  out += ',';
  append_field("action", to_string(e.action), out);
  out += '}';
}

std::string event_json(const Event& event) {
  std::string out;
  append_event_json(event, out);
  return out;
}

}  // namespace flowd
