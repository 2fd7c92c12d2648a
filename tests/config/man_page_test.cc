#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "key_schema.h"

namespace flowd {
namespace {

constexpr const char* kConfigPagePath = FLOWD_SOURCE_DIR "/man/onefirewall-flowd.yaml.5.scd";

std::string page_text() {
  std::ifstream file(kConfigPagePath);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string dotted_name(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

// Each key the loader accepts is a term of its own in onefirewall-flowd.yaml(5),
// written as *path.key* at the start of a line, so a new key fails here until documented.
TEST(ConfigManPage, DocumentsEveryKeyTheLoaderAccepts) {
  const std::string text = page_text();
  ASSERT_FALSE(text.empty()) << "cannot read " << kConfigPagePath;
  for (const config_detail::KeySection& section : config_detail::all_key_sections()) {
    for (std::string_view key : section.keys) {
      const std::string term = "\n*" + dotted_name(section.path, key) + "*";
      EXPECT_NE(text.find(term), std::string::npos)
          << dotted_name(section.path, key) << " is not in " << kConfigPagePath;
    }
  }
}

std::set<std::string> keys_the_loader_accepts() {
  std::set<std::string> names;
  for (const config_detail::KeySection& section : config_detail::all_key_sections()) {
    for (std::string_view key : section.keys) names.insert(dotted_name(section.path, key));
  }
  return names;
}

// The terms of the KEYS section: lines that are a bold name alone ("*x*" or "*x*++").
std::vector<std::string> documented_keys(const std::string& text) {
  std::vector<std::string> names;
  const std::size_t keys_start = text.find("\n# KEYS\n");
  const std::size_t keys_end = text.find("\n# ", keys_start + 1);
  std::istringstream section(text.substr(keys_start, keys_end - keys_start));
  for (std::string line; std::getline(section, line);) {
    if (line.ends_with("++")) line.resize(line.size() - 2);
    if (line.size() > 2 && line.front() == '*' && line.back() == '*' && line.find(' ') == std::string::npos) {
      names.push_back(line.substr(1, line.size() - 2));
    }
  }
  return names;
}

// A key removed or renamed in the code does not linger in the page.
TEST(ConfigManPage, DocumentsNoKeyTheLoaderRejects) {
  const std::string text = page_text();
  ASSERT_NE(text.find("\n# KEYS\n"), std::string::npos) << kConfigPagePath << " has no KEYS section";
  const std::set<std::string> accepted = keys_the_loader_accepts();
  const std::vector<std::string> documented = documented_keys(text);
  EXPECT_EQ(documented.size(), accepted.size());
  for (const std::string& name : documented) EXPECT_TRUE(accepted.contains(name)) << name;
}

}  // namespace
}  // namespace flowd
