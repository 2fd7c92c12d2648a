#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "onefirewall_flowd/app/cli.h"

namespace flowd {
namespace {

constexpr const char* kCommandPagePath = FLOWD_SOURCE_DIR "/man/onefirewall-flowd.8.scd";

std::string page_text() {
  std::ifstream file(kCommandPagePath);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The options ("-c", "--config", ...) and the commands ("replay", ...) that --help shows.
std::set<std::string> words_of_the_usage() {
  std::set<std::string> words;
  std::istringstream usage(usage_text());
  for (std::string line; std::getline(usage, line);) {
    std::istringstream tokens(line);
    std::string previous;
    for (std::string token; tokens >> token; previous = token) {
      while (!token.empty() && std::string_view(",|]").find(token.back()) != std::string_view::npos) {
        token.pop_back();
      }
      if (token.starts_with("[")) token.erase(0, 1);
      const bool option = token.size() > 1 && token[0] == '-';
      const bool command = previous == "onefirewall-flowd" && !token.empty() && std::isalpha(token[0]);
      if (option || command) words.insert(token.substr(0, token.find('=')));
    }
  }
  return words;
}

// Every option and command of --help is in onefirewall-flowd(8), written bold.
TEST(CommandManPage, DocumentsEveryOptionAndCommandOfTheUsage) {
  const std::string page = page_text();
  ASSERT_FALSE(page.empty()) << "cannot read " << kCommandPagePath;
  const std::set<std::string> words = words_of_the_usage();
  EXPECT_TRUE(words.contains("--config") && words.contains("replay")) << "the usage text changed shape";
  for (const std::string& word : words) {
    EXPECT_NE(page.find("*" + word + "*"), std::string::npos) << word << " is not in " << kCommandPagePath;
  }
}

}  // namespace
}  // namespace flowd
