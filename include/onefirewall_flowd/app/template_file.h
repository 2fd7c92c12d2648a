#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "onefirewall_flowd/decode/decoder.h"

namespace flowd {

// templates.persist: the decoders' templates kept in one file of the state
// directory, so that a restarted daemon decodes v9/IPFIX data at once
// instead of waiting minutes for exporters to resend their templates.
class TemplateFile {
 public:
  explicit TemplateFile(std::filesystem::path path) : path_(std::move(path)) {}

  // What the file holds; nothing when it is missing (a normal first start)
  // or unreadable (logged).
  [[nodiscard]] std::optional<std::vector<uint8_t>> read() const;
  // Writes atomically (temporary file, then rename). Logs the first failure only.
  bool write(std::span<const uint8_t> saved);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool failure_logged_ = false;
};

// Several decoders' saves as one: each save has its own header, so they are
// loaded into one scratch decoder (under `limits`) that saves them together.
// A template that two saves hold keeps the later save's definition.
[[nodiscard]] std::vector<uint8_t> merge_template_saves(std::span<const std::vector<uint8_t>> saves,
                                                        const TemplateLimits& limits);

}  // namespace flowd
