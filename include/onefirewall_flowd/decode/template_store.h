#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

// Templates serialised for templates.persist, so that a restarted daemon
// decodes data at once instead of waiting minutes for template refreshes.
// The format is versioned binary; the caller owns the file.
// Templates expired by now are left out.
[[nodiscard]] std::vector<uint8_t> save_templates(const TemplateCache& cache,
                                                  std::chrono::system_clock::time_point now);

// Restores templates saved by save_templates, each under the cache's caps
// and keeping its refresh time, so templates.lifetime still applies: one
// expired by now is not restored. The bytes are untrusted: reading stops at
// the first malformed record. Returns the number of templates restored.
size_t load_templates(std::span<const uint8_t> bytes, TemplateCache& cache,
                      std::chrono::system_clock::time_point now);

}  // namespace flowd
