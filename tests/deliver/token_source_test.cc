#include "onefirewall_flowd/deliver/token_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace flowd {
namespace {

class TokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("flowd_token_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    ::unsetenv("ONEFIREWALL_TOKEN");
    ::unsetenv("CREDENTIALS_DIRECTORY");
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ::unsetenv("ONEFIREWALL_TOKEN");
    ::unsetenv("CREDENTIALS_DIRECTORY");
  }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path.string();
  }
  std::filesystem::path dir_;
};

TEST_F(TokenSourceTest, FileComesFirstAndIsTrimmedButOtherwiseVerbatim) {
  const auto path = write("token", "  Bearer eyJ.a b\n");
  ::setenv("ONEFIREWALL_TOKEN", "from-env", 1);
  const auto t = load_token(path);
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value, "Bearer eyJ.a b");
  EXPECT_EQ(t.source, "token file " + path);
  EXPECT_TRUE(t.warning.empty());
}

TEST_F(TokenSourceTest, AFileReadableByOthersDrawsAWarning) {
  const auto path = write("token", "secret-value\n", 0644);
  const auto t = load_token(path);
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t.warning.find("readable by group or others"), std::string::npos);
  EXPECT_EQ(t.warning.find("secret-value"), std::string::npos);
}

TEST_F(TokenSourceTest, EnvironmentWhenTheFileIsMissing) {
  ::setenv("ONEFIREWALL_TOKEN", "env-token", 1);
  const auto t = load_token((dir_ / "absent").string());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value, "env-token");
  EXPECT_EQ(t.source, "environment ONEFIREWALL_TOKEN");
}

TEST_F(TokenSourceTest, SystemdCredentialLast) {
  write("token", "cred-token\n", 0644);
  ::setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
  const auto t = load_token((dir_ / "absent").string());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value, "cred-token");
  EXPECT_EQ(t.source, "systemd credential " + (dir_ / "token").string());
  EXPECT_TRUE(t.warning.empty());
}

TEST_F(TokenSourceTest, NoSourceIsAnErrorThatNamesEachPlace) {
  const auto t = load_token((dir_ / "absent").string());
  EXPECT_FALSE(t.ok());
  EXPECT_NE(t.error.find("absent"), std::string::npos);
  EXPECT_NE(t.error.find("ONEFIREWALL_TOKEN"), std::string::npos);
  EXPECT_NE(t.error.find("CREDENTIALS_DIRECTORY"), std::string::npos);
}

TEST_F(TokenSourceTest, RefusesATokenThatWouldSplitTheHeader) {
  const auto path = write("token", "line1\nline2\n");
  const auto t = load_token(path);
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(t.error.find("line1"), std::string::npos);
}

}  // namespace
}  // namespace flowd
