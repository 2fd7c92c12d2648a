// Runs the built daemon binary to check its CLI contract and exit codes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "flowd_binary_" + std::to_string(getpid()) + "_" + name;
}

Result run(const std::string& args) {
  const std::string out = temp_path("out"), err = temp_path("err");
  const std::string cmd = std::string(FLOWD_BINARY) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

TEST(Binary, VersionExitsZero) {
  const auto r = run("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("onefirewall-flowd ", 0), 0u) << r.out;
}

TEST(Binary, HelpExitsZero) {
  const auto r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--dry-run"), std::string::npos);
}

TEST(Binary, UnknownArgumentIsAUsageError) {
  const auto r = run("--frobnicate");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown argument '--frobnicate'"), std::string::npos) << r.err;
}

TEST(Binary, CheckConfigAcceptsTheShippedExample) {
  const auto r = run("--check-config --config " FLOWD_SOURCE_DIR "/config/onefirewall-flowd.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Binary, CheckConfigRejectsABadFileWithFileLineAndKey) {
  const auto path = write_config("bad.yaml", "listen: [\"127.0.0.1:2055\"]\nworkers: many\n");
  const auto r = run("--check-config --config " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind(path + ":2: workers: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("many"), std::string::npos) << r.err;
}

TEST(Binary, MissingConfigIsAConfigError) {
  const auto r = run("--check-config --config /nonexistent/flowd.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/flowd.yaml"), std::string::npos) << r.err;
}

TEST(Binary, BusyListenPortIsARuntimeFailure) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  const auto path = write_config("busy.yaml", "listen: [\"127.0.0.1:" + port + "\"]\n");
  const auto r = run("--dry-run --config " + path);
  close(fd);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot listen on 127.0.0.1 port " + port), std::string::npos) << r.err;
}

// Without --dry-run the daemon delivers to the API; these check its start-up
// failures (tests/deliver covers delivery itself).
std::string delivery_config(const std::string& name, const std::string& token_file,
                            const std::string& spool) {
  ::unsetenv("ONEFIREWALL_TOKEN");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  return write_config(name, "listen: [\"127.0.0.1:1\"]\nspool: {path: " + spool +
                                "}\napi:\n  url: https://localhost:1/api\n  token_file: " + token_file +
                                "\n");
}

TEST(Binary, WithoutATokenItExitsOneNamingEverySource) {
  const auto path = delivery_config("notoken.yaml", temp_path("absent-token"), temp_path("spool1"));
  const auto r = run("--config " + path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("no API token"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ONEFIREWALL_TOKEN"), std::string::npos) << r.err;
}

TEST(Binary, AnUnusableSpoolIsARuntimeFailure) {
  const auto token = write_config("token1", "Bearer T-SECRET\n");
  ::chmod(token.c_str(), 0600);
  const auto path = delivery_config("badspool.yaml", token, "/proc/flowd-no-spool-here");
  const auto r = run("--config " + path);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("spool"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("T-SECRET"), std::string::npos) << r.err;
}

TEST(Binary, ATokenFileReadableByOthersDrawsAWarning) {
  const auto token = write_config("token2", "Bearer W-SECRET\n");
  ::chmod(token.c_str(), 0644);
  const auto path = delivery_config("readable.yaml", token, "/proc/flowd-no-spool-here");
  const auto r = run("--config " + path);
  EXPECT_NE(r.err.find("readable by group or others"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("W-SECRET"), std::string::npos) << r.err;
}

TEST(Binary, ATokenFromTheEnvironmentIsUsed) {
  const auto path = delivery_config("envtoken.yaml", temp_path("absent-token"), "/proc/flowd-no-spool-here");
  ::setenv("ONEFIREWALL_TOKEN", "Bearer E-SECRET", 1);
  const auto r = run("--config " + path);
  ::unsetenv("ONEFIREWALL_TOKEN");
  EXPECT_NE(r.err.find("API token from environment ONEFIREWALL_TOKEN"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("E-SECRET"), std::string::npos) << r.err;
}

}  // namespace
