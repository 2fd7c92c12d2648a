#include "onefirewall_flowd/deliver/stdout_sink.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace flowd {
namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[256];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST(StdoutSink, WritesOneJsonObjectPerLineOnFlush) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  StdoutSink sink(f);
  Event e;
  e.firewall = "fw";
  e.src_ip = *IpAddress::parse("198.51.100.1");
  e.dst_ip = *IpAddress::parse("192.168.0.1");
  e.service = "ssh";
  sink.write(e);
  sink.write(e);
  EXPECT_EQ(read_all(f), "");
  std::fseek(f, 0, SEEK_END);
  ASSERT_TRUE(sink.flush());
  const std::string text = read_all(f);
  const std::string line =
      R"({"firewall":"fw","direction":"inbound","src_ip":"198.51.100.1","dst_ip":"192.168.0.1",)"
      R"("src_port":0,"dst_port":0,"service":"ssh","action":"Allow"})";
  EXPECT_EQ(text, line + "\n" + line + "\n");
  EXPECT_EQ(sink.written(), 2u);
  std::fclose(f);
}

TEST(StdoutSink, ReportsAFailedStream) {
  std::FILE* f = std::fopen("/dev/full", "w");
  if (f == nullptr) GTEST_SKIP() << "/dev/full is not available";
  StdoutSink sink(f);
  sink.write(Event{});
  EXPECT_FALSE(sink.flush());
  std::fclose(f);
}

}  // namespace
}  // namespace flowd
