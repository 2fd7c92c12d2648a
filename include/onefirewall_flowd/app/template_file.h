#pragma once

#include <filesystem>

#include "onefirewall_flowd/decode/decoder.h"

namespace flowd {

// templates.persist: the decoder's templates kept in one file of the state
// directory, so that a restarted daemon decodes v9/IPFIX data at once
// instead of waiting minutes for exporters to resend their templates.
class TemplateFile {
 public:
  explicit TemplateFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Restores what the file holds; a missing file is a normal first start.
  size_t load(Decoder& decoder) const;
  // Writes atomically (temporary file, then rename). Logs the first failure only.
  bool save(const Decoder& decoder);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool failure_logged_ = false;
};

}  // namespace flowd
