#pragma once

// Runs Debian's `promtool check metrics` (package prometheus) on exposition text.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace flowd::test {

inline std::optional<std::filesystem::path> find_promtool() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / "promtool";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return std::nullopt;
}

struct PromtoolResult {
  int status;
  std::string output;  // its findings, one a line; "" when there are none
};

// Runs `promtool ARGUMENTS`, its output and errors together.
inline PromtoolResult promtool_run(const std::filesystem::path& promtool, const std::string& arguments) {
  const std::string command = promtool.string() + " " + arguments + " 2>&1";
  PromtoolResult run{-1, {}};
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 512> buf;
    while (const size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) run.output.append(buf.data(), n);
    const int raw = ::pclose(pipe);
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  return run;
}

// Runs `promtool check metrics` on text given on its standard input.
inline PromtoolResult promtool_check_metrics(const std::filesystem::path& promtool, const std::string& text) {
  const std::filesystem::path input =
      std::filesystem::temp_directory_path() / ("flowd_promtool_" + std::to_string(::getpid()) + ".prom");
  std::ofstream(input) << text;
  PromtoolResult run = promtool_run(promtool, "check metrics < " + input.string());
  std::filesystem::remove(input);
  return run;
}

}  // namespace flowd::test
