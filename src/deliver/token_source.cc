#include "onefirewall_flowd/deliver/token_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

namespace flowd {
namespace {

std::string trimmed(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// A line break inside the token would split the Authorization header.
bool fits_a_header(const std::string& token) {
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t') return false;
    if (u == 0x7f) return false;
  }
  return true;
}

std::string mode_warning(const std::string& path, const struct stat& st) {
  if ((st.st_mode & (S_IRGRP | S_IROTH)) == 0) return {};
  return "token file " + path + " is readable by group or others; chmod 600 it";
}

// Fills `load` from the file when it holds a token; notes why not otherwise.
bool read_file_token(const std::string& path, const std::string& label, TokenLoad& load, std::string& why) {
  if (path.empty()) return false;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    why += label + " " + path + ": " + std::strerror(errno) + "; ";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why += label + " " + path + ": cannot be read; ";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token = trimmed(text.str());
  if (token.empty()) {
    why += label + " " + path + " is empty; ";
    return false;
  }
  if (!fits_a_header(token)) {
    why += label + " " + path + " holds control characters or several lines; ";
    return false;
  }
  load.value = std::move(token);
  load.source = label + " " + path;
  load.warning = mode_warning(path, st);
  return true;
}

bool read_env_token(TokenLoad& load, std::string& why) {
  const char* env = std::getenv("ONEFIREWALL_TOKEN");
  if (env == nullptr) {
    why += "ONEFIREWALL_TOKEN is not set; ";
    return false;
  }
  std::string token = trimmed(env);
  if (token.empty() || !fits_a_header(token)) {
    why += "ONEFIREWALL_TOKEN is empty or holds control characters; ";
    return false;
  }
  load.value = std::move(token);
  load.source = "environment ONEFIREWALL_TOKEN";
  return true;
}

}  // namespace

TokenLoad load_token(const std::string& token_file) {
  TokenLoad load;
  std::string why;
  if (read_file_token(token_file, "token file", load, why)) return load;
  if (read_env_token(load, why)) return load;
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials != nullptr && *credentials != '\0') {
    if (read_file_token(std::string(credentials) + "/token", "systemd credential", load, why)) {
      load.warning.clear();  // systemd owns the credential's mode
      return load;
    }
  } else {
    why += "no systemd credential (CREDENTIALS_DIRECTORY is not set); ";
  }
  if (why.size() >= 2) why.resize(why.size() - 2);
  load.error = "no API token: " + why;
  return load;
}

}  // namespace flowd
