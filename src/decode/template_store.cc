#include "onefirewall_flowd/decode/template_store.h"

#include <array>

#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {
namespace {

constexpr std::array<uint8_t, 4> kMagic = {'F', 'D', 'T', 'P'};
constexpr uint16_t kFormatVersion = 1;
constexpr size_t kFieldBytes = 8;  // id, length, enterprise
// Year 2100: a later refresh time is damage, and past 2262 it would
// overflow the nanosecond system clock.
constexpr uint64_t kMaxRefreshedMs = 4'102'444'800'000;

void put_uint(std::vector<uint8_t>& out, uint64_t value, size_t width) {
  for (size_t i = width; i-- > 0;) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void save_one(std::vector<uint8_t>& out, const IpAddress& address, uint32_t domain, uint16_t id,
              const Template& t) {
  out.insert(out.end(), address.bytes().begin(), address.bytes().end());
  put_uint(out, domain, 4);
  put_uint(out, id, 2);
  put_uint(out, static_cast<uint8_t>(t.dialect), 1);
  put_uint(out, t.options ? 1 : 0, 1);
  put_uint(out, t.scope_field_count, 2);
  const auto refreshed =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.refreshed.time_since_epoch());
  put_uint(out, static_cast<uint64_t>(refreshed.count()), 8);
  put_uint(out, t.fields.size(), 2);
  for (const FieldSpec& f : t.fields) {
    put_uint(out, f.id, 2);
    put_uint(out, f.length, 2);
    put_uint(out, f.enterprise, 4);
  }
}

struct SavedTemplate {
  IpAddress address;
  uint32_t domain = 0;
  uint16_t id = 0;
  Template definition;
};

bool read_fields(ByteReader& r, uint16_t count, std::vector<FieldSpec>& fields) {
  if (count == 0 || size_t{count} * kFieldBytes > r.remaining()) return false;
  fields.resize(count);
  for (FieldSpec& f : fields) {
    if (!r.read_u16(f.id) || !r.read_u16(f.length) || !r.read_u32(f.enterprise)) return false;
  }
  return true;
}

bool read_one(ByteReader& r, SavedTemplate& saved) {
  std::array<uint8_t, 16> address{};
  uint8_t dialect = 0, options = 0;
  uint16_t scope_count = 0, count = 0;
  uint64_t refreshed_ms = 0;
  std::vector<FieldSpec> fields;
  if (!r.read_bytes(address) || !r.read_u32(saved.domain) || !r.read_u16(saved.id) || !r.read_u8(dialect) ||
      !r.read_u8(options) || !r.read_u16(scope_count) || !r.read_u64(refreshed_ms) || !r.read_u16(count) ||
      !read_fields(r, count, fields)) {
    return false;
  }
  if (saved.id < 256 || dialect > 1 || options > 1 || scope_count > count || refreshed_ms > kMaxRefreshedMs) {
    return false;
  }
  saved.address = IpAddress::from_v6(address);
  saved.definition =
      build_template(static_cast<Dialect>(dialect), options == 1, scope_count, std::move(fields));
  saved.definition.refreshed =
      std::chrono::system_clock::time_point{std::chrono::milliseconds(static_cast<int64_t>(refreshed_ms))};
  return true;
}

}  // namespace

std::vector<uint8_t> save_templates(const TemplateCache& cache, std::chrono::system_clock::time_point now) {
  std::vector<uint8_t> out(kMagic.begin(), kMagic.end());
  put_uint(out, kFormatVersion, 2);
  cache.for_each_template(now, [&out](const IpAddress& address, uint32_t domain, uint16_t id,
                                      const Template& t) { save_one(out, address, domain, id, t); });
  return out;
}

size_t load_templates(std::span<const uint8_t> bytes, TemplateCache& cache,
                      std::chrono::system_clock::time_point now) {
  ByteReader r(bytes);
  std::array<uint8_t, 4> magic{};
  uint16_t version = 0;
  if (!r.read_bytes(magic) || magic != kMagic || !r.read_u16(version) || version != kFormatVersion) return 0;
  size_t restored = 0;
  SavedTemplate saved;
  while (!r.empty() && read_one(r, saved)) {
    if (cache.restore(saved.address, saved.domain, saved.id, std::move(saved.definition), now)) ++restored;
  }
  return restored;
}

}  // namespace flowd
