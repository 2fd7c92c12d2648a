#pragma once

// The daemon binary in the delivery tests: its token file and its start.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/daemon_process.h"

namespace flowd::testing {

// A token file as an operator writes it: the token, a newline, mode 0600.
inline void write_token_file(const std::filesystem::path& path, const std::string& token) {
  itest::write_file(path, token + "\n");
  ::chmod(path.c_str(), 0600);
}

// The daemon binary on `config`, once it logs that it runs (checked).
inline std::unique_ptr<itest::ChildProcess> start_flowd(const std::filesystem::path& config,
                                                        const std::filesystem::path& out,
                                                        const std::filesystem::path& err) {
  auto child = std::make_unique<itest::ChildProcess>(
      std::vector<std::string>{FLOWD_BINARY, "--config", config.string()}, out, err);
  EXPECT_TRUE(itest::wait_for_file_containing(child->stderr_path(), "onefirewall-flowd running",
                                              std::chrono::seconds(10)))
      << child->stderr_text();
  return child;
}

}  // namespace flowd::testing
