#include "onefirewall_flowd/app/template_file.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace flowd {

size_t TemplateFile::load(Decoder& decoder) const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno != ENOENT) spdlog::warn("templates: cannot read {}: {}", path_.string(), std::strerror(errno));
    return 0;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t loaded = decoder.load_templates(bytes);
  spdlog::info("templates: restored {} from {}", loaded, path_.string());
  return loaded;
}

bool TemplateFile::save(const Decoder& decoder) {
  const std::vector<uint8_t> bytes = decoder.save_templates();
  const std::filesystem::path temporary = path_.string() + ".tmp";
  std::error_code ec;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
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

}  // namespace flowd
