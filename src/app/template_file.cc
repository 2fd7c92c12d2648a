#include "onefirewall_flowd/app/template_file.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace flowd {

std::optional<std::vector<uint8_t>> TemplateFile::read() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno != ENOENT) spdlog::warn("templates: cannot read {}: {}", path_.string(), std::strerror(errno));
    return std::nullopt;
  }
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool TemplateFile::write(std::span<const uint8_t> saved) {
  const std::filesystem::path temporary = path_.string() + ".tmp";
  std::error_code ec;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(saved.data()), static_cast<std::streamsize>(saved.size()));
    out.flush();
    if (!out) ec = std::error_code(errno ? errno : EIO, std::generic_category());
  }
  if (!ec) std::filesystem::rename(temporary, path_, ec);
  if (ec) {
    if (!failure_logged_) spdlog::warn("templates: cannot save to {}: {}", path_.string(), ec.message());
    failure_logged_ = true;
    std::filesystem::remove(temporary, ec);
    return false;
  }
  failure_logged_ = false;
  return true;
}

std::vector<uint8_t> merge_template_saves(std::span<const std::vector<uint8_t>> saves,
                                          const TemplateLimits& limits) {
  DecodeStats scratch_stats;
  Decoder scratch(scratch_stats, limits);
  const auto now = std::chrono::system_clock::now();
  for (const auto& saved : saves) scratch.load_templates(saved, now);
  return scratch.save_templates(now);
}

}  // namespace flowd
