// The loader's range errors, each checking the whole message: "FILE:LINE: key.path: why",
// with the offending value quoted in why.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"

namespace flowd {
namespace {

using testing::error_text;

// --- Ranges ---------------------------------------------------------------------

TEST(Range, WorkersAbove1024) {
  EXPECT_EQ(error_text("workers: 1025\n"), "test.yaml:1: workers: '1025' is out of range (must be 0..1024)");
}

TEST(Range, NegativeNumber) {
  EXPECT_EQ(error_text("workers: -1\n"), "test.yaml:1: workers: '-1' is out of range (must be 0..1024)");
}

TEST(Range, HugeNumber) {
  EXPECT_EQ(error_text("queue: {capacity: 99999999999999999999999}\n"),
            "test.yaml:1: queue.capacity: '99999999999999999999999' is out of range (must be 1..4294967295)");
}

TEST(Range, ConcurrencyOutside1To64) {
  EXPECT_EQ(error_text("api: {concurrency: 0}\n"),
            "test.yaml:1: api.concurrency: '0' is out of range (must be 1..64)");
  EXPECT_EQ(error_text("api: {concurrency: 65}\n"),
            "test.yaml:1: api.concurrency: '65' is out of range (must be 1..64)");
}

TEST(Pairing, ClientCertificateNeedsItsKeyAndTheKeyItsCertificate) {
  EXPECT_EQ(error_text("api:\n  client_cert: /etc/c.pem\n"),
            "test.yaml:2: api.client_cert: needs api.client_key, the certificate's private key, too");
  EXPECT_EQ(error_text("api:\n  client_key: /etc/c.key\n"),
            "test.yaml:2: api.client_key: needs api.client_cert, the certificate for this key, too");
}

TEST(Range, QueueCapacityZero) {
  EXPECT_EQ(error_text("queue: {capacity: 0}\n"),
            "test.yaml:1: queue.capacity: '0' is out of range (must be 1..4294967295)");
}

TEST(Range, ReduceCapacityZero) {
  EXPECT_EQ(error_text("reduce: {capacity: 0}\n"),
            "test.yaml:1: reduce.capacity: '0' is out of range (must be 1..4294967295)");
}

TEST(Range, RateLimitRequestsZero) {
  EXPECT_EQ(error_text("api: {rate_limit: {requests: 0}}\n"),
            "test.yaml:1: api.rate_limit.requests: '0' is out of range (must be 1..4294967295)");
}

TEST(Range, ZeroDurationWherePositiveNeeded) {
  EXPECT_EQ(error_text("api: {rate_limit: {period: 0}}\n"),
            "test.yaml:1: api.rate_limit.period: '0' must be greater than zero");
  EXPECT_EQ(error_text("api: {timeout: 0s}\n"), "test.yaml:1: api.timeout: '0s' must be greater than zero");
  EXPECT_EQ(error_text("templates: {lifetime: 0ms}\n"),
            "test.yaml:1: templates.lifetime: '0ms' must be greater than zero");
}

TEST(Range, HostMemoryZero) {
  EXPECT_EQ(error_text("api: {host_memory: 0}\n"),
            "test.yaml:1: api.host_memory: '0' must be greater than zero");
  EXPECT_EQ(error_text("api: {host_memory: 0h}\n"),
            "test.yaml:1: api.host_memory: '0h' must be greater than zero");
}

TEST(Range, HostMemoryOutside1sTo8760h) {
  EXPECT_EQ(error_text("api: {host_memory: 500ms}\n"),
            "test.yaml:1: api.host_memory: '500ms' is out of range (must be 1s..8760h)");
  EXPECT_EQ(error_text("api:\n  host_memory: 9000h\n"),
            "test.yaml:2: api.host_memory: '9000h' is out of range (must be 1s..8760h)");
}

TEST(Range, MaxAgeOutside1sTo8760hAndNotZero) {
  EXPECT_EQ(error_text("api: {max_age: 500ms}\n"),
            "test.yaml:1: api.max_age: '500ms' is out of range (must be 0 or 1s..8760h)");
  EXPECT_EQ(error_text("api:\n  max_age: 9000h\n"),
            "test.yaml:2: api.max_age: '9000h' is out of range (must be 0 or 1s..8760h)");
}

TEST(Range, MaxRetryAfterOutside1sTo1hOrZero) {
  EXPECT_EQ(error_text("api: {max_retry_after: 0}\n"),
            "test.yaml:1: api.max_retry_after: '0' must be greater than zero");
  EXPECT_EQ(error_text("api: {max_retry_after: 500ms}\n"),
            "test.yaml:1: api.max_retry_after: '500ms' is out of range (must be 1s..1h)");
  EXPECT_EQ(error_text("api:\n  max_retry_after: 24h\n"),
            "test.yaml:2: api.max_retry_after: '24h' is out of range (must be 1s..1h)");
  EXPECT_EQ(error_text("api: {max_retry_after: 300}\n"),
            "test.yaml:1: api.max_retry_after: '300' has no unit (use ms, s, m or h)");
}

TEST(Range, HostMemoryLimitOutside1000To100000000) {
  EXPECT_EQ(error_text("api: {host_memory_limit: 999}\n"),
            "test.yaml:1: api.host_memory_limit: '999' is out of range (must be 1000..100000000)");
  EXPECT_EQ(error_text("api: {host_memory_limit: 100000001}\n"),
            "test.yaml:1: api.host_memory_limit: '100000001' is out of range (must be 1000..100000000)");
}

TEST(Range, ReceiveBufferOutsideLimits) {
  EXPECT_EQ(error_text("receive_buffer: 1KiB\n"),
            "test.yaml:1: receive_buffer: '1KiB' is out of range (must be 4KiB..1GiB)");
  EXPECT_EQ(error_text("receive_buffer: 2GiB\n"),
            "test.yaml:1: receive_buffer: '2GiB' is out of range (must be 4KiB..1GiB)");
}

TEST(Range, SpoolSizeBelowMinimum) {
  EXPECT_EQ(error_text("spool: {max_size: 512KiB}\n"),
            "test.yaml:1: spool.max_size: '512KiB' is out of range (must be at least 1MiB)");
}

TEST(Range, ObservationDomainAbove32Bits) {
  EXPECT_EQ(
      error_text("exporters: {list: [{address: 192.0.2.1, name: fw, observation_domain: 4294967296}]}\n"),
      "test.yaml:1: exporters.list[0].observation_domain: '4294967296' is out of range (must be "
      "0..4294967295)");
}

TEST(Range, NegativeInterface) {
  EXPECT_EQ(
      error_text("exporters: {defaults: {outside_interfaces: [1, -2]}}\n"),
      "test.yaml:1: exporters.defaults.outside_interfaces[1]: '-2' is out of range (must be 0..4294967295)");
}

TEST(Range, InterfaceNameEmptyOrLongerThanWhatIsLearned) {
  EXPECT_EQ(error_text("exporters: {defaults: {outside_interfaces: [1, \"\"]}}\n"),
            "test.yaml:1: exporters.defaults.outside_interfaces[1]: must not be empty");
  EXPECT_EQ(
      error_text("exporters: {defaults: {outside_interfaces: [" + std::string(65, 'x') + "]}}\n"),
      "test.yaml:1: exporters.defaults.outside_interfaces[0]: an interface name is at most 64 bytes, got 65");
}

TEST(Range, ServicePortOutside1To65535) {
  EXPECT_EQ(error_text("services: {overrides: [{port: 0, name: a}]}\n"),
            "test.yaml:1: services.overrides[0].port: '0' is out of range (must be 1..65535)");
  EXPECT_EQ(error_text("services: {overrides: [{port: 65536, name: a}]}\n"),
            "test.yaml:1: services.overrides[0].port: '65536' is out of range (must be 1..65535)");
}

TEST(Range, ProtocolNumberAbove255) {
  EXPECT_EQ(error_text("services: {overrides: [{port: 1, protocol: 256, name: a}]}\n"),
            "test.yaml:1: services.overrides[0].protocol: '256' is out of range (must be 0..255)");
}

}  // namespace
}  // namespace flowd
