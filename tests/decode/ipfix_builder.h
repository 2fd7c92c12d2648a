#pragma once

// Builds IPFIX messages byte by byte for decode tests.
#include <cstdint>
#include <string>
#include <vector>

#include "big_endian.h"
#include "hex.h"

namespace flowd::test {

// An IPFIX message of `domain` holding `sets`, with the header's length filled in.
inline std::vector<uint8_t> ipfix_message(uint32_t domain, const std::vector<uint8_t>& sets) {
  std::vector<uint8_t> out = hex("000a 0000 5f5e1000 00000000");
  put32(out, domain);
  out.insert(out.end(), sets.begin(), sets.end());
  out[2] = static_cast<uint8_t>(out.size() >> 8);
  out[3] = static_cast<uint8_t>(out.size());
  return out;
}

struct NamedKey {
  uint32_t key;
  std::string name;
};

// Options template 257 (scope `scope_ie`, 4 bytes; `name_ie`, variable
// length) and one options data record per entry, the length in one byte, or
// 255 and two.
inline std::vector<uint8_t> name_table(uint32_t domain, uint16_t scope_ie, uint16_t name_ie,
                                       const std::vector<NamedKey>& entries) {
  std::vector<uint8_t> records;
  for (const NamedKey& e : entries) {
    put32(records, e.key);
    if (e.name.size() < 255) {
      records.push_back(static_cast<uint8_t>(e.name.size()));
    } else {
      records.push_back(255);
      put16(records, e.name.size());
    }
    records.insert(records.end(), e.name.begin(), e.name.end());
  }
  std::vector<uint8_t> sets = hex("0003 0014 0101 0002 0001");
  put16(sets, scope_ie);
  put16(sets, 4);
  put16(sets, name_ie);
  put16(sets, 0xffff);
  put16(sets, 0);  // padding
  put16(sets, 257);
  put16(sets, 4 + records.size());
  sets.insert(sets.end(), records.begin(), records.end());
  return ipfix_message(domain, sets);
}

}  // namespace flowd::test
