// One test per distinct error the loader reports, each checking the whole message:
// "FILE:LINE: key.path: why", with the offending value quoted in why.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace flowd {
namespace {

using testing::error_text;

// --- Unknown keys ---------------------------------------------------------

TEST(UnknownKey, TopLevelSuggestsNearMiss) {
  EXPECT_EQ(error_text("workers: 1\nlisen: []\n"),
            "test.yaml:2: lisen: unknown key 'lisen' (did you mean 'listen'?)");
}

TEST(UnknownKey, NestedSuggestsNearMiss) {
  EXPECT_EQ(error_text("exporters:\n  accept_unknown: true\n  defualts: {}\n"),
            "test.yaml:3: exporters.defualts: unknown key 'defualts' (did you mean 'defaults'?)");
}

TEST(UnknownKey, DeeplyNestedSuggestsNearMiss) {
  EXPECT_EQ(error_text("api:\n  rate_limit:\n    request: 5\n"),
            "test.yaml:3: api.rate_limit.request: unknown key 'request' (did you mean 'requests'?)");
}

TEST(UnknownKey, InListEntrySuggestsNearMiss) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    - adress: 192.0.2.1\n      name: fw\n"),
            "test.yaml:3: exporters.list[0].adress: unknown key 'adress' (did you mean 'address'?)");
  EXPECT_EQ(error_text("services: {overrides: [{port: 1, name: a}, {port: 2, nmae: b}]}\n"),
            "test.yaml:1: services.overrides[1].nmae: unknown key 'nmae' (did you mean 'name'?)");
}

TEST(UnknownKey, MisplacedKeyNamesItsSection) {
  EXPECT_EQ(error_text("window: 1h\n"),
            "test.yaml:1: window: unknown key 'window'; it belongs under 'reduce'");
  EXPECT_EQ(error_text("capacity: 5\n"),
            "test.yaml:1: capacity: unknown key 'capacity'; it belongs under 'reduce' or under 'queue'");
  EXPECT_EQ(error_text("exporters:\n  internal_networks: []\n"),
            "test.yaml:2: exporters.internal_networks: unknown key 'internal_networks'; it belongs under "
            "'exporters.defaults' or in an entry of 'exporters.list'");
}

TEST(UnknownKey, DeliveryOrderKeysAreKnown) {
  EXPECT_EQ(error_text("api:\n  host_memry: 1h\n"),
            "test.yaml:2: api.host_memry: unknown key 'host_memry' (did you mean 'host_memory'?)");
  EXPECT_EQ(error_text("api:\n  host_memory_limt: 5000\n"),
            "test.yaml:2: api.host_memory_limt: unknown key 'host_memory_limt' (did you mean "
            "'host_memory_limit'?)");
  EXPECT_EQ(error_text("max_age: 1h\n"),
            "test.yaml:1: max_age: unknown key 'max_age'; it belongs under 'api'");
}

TEST(UnknownKey, FarMissListsValidKeys) {
  EXPECT_EQ(error_text("log:\n  format: json\n"),
            "test.yaml:2: log.format: unknown key 'format' (valid keys here: level)");
}

TEST(UnknownKey, TokenIsNeverAConfigKey) {
  EXPECT_EQ(error_text("api:\n  token: Bearer secret\n"),
            "test.yaml:2: api.token: unknown key 'token': the token never goes in the config; put it in "
            "the file named by api.token_file, in ONEFIREWALL_TOKEN, or in the systemd credential 'token'");
}

TEST(KeyShape, DuplicateKey) {
  EXPECT_EQ(error_text("api:\n  timeout: 5s\n  timeout: 6s\n"),
            "test.yaml:3: api.timeout: duplicate key 'timeout'");
}

TEST(KeyShape, KeyMustBeAPlainName) {
  EXPECT_EQ(error_text("log:\n  ? [level]\n  : info\n"),
            "test.yaml:2: log: a key must be a plain name, got a list");
}

// --- Wrong types --------------------------------------------------------------

TEST(WrongType, MapWhereNumberExpected) {
  EXPECT_EQ(error_text("workers: {count: 1}\n"), "test.yaml:1: workers: expected a whole number, got a map");
}

TEST(WrongType, ListWhereScalarExpected) {
  EXPECT_EQ(error_text("log: {level: [info]}\n"), "test.yaml:1: log.level: expected a log level, got a list");
}

TEST(WrongType, MissingValue) {
  EXPECT_EQ(error_text("workers:\nlog: {level: info}\n"),
            "test.yaml:1: workers: expected a whole number, got no value");
}

TEST(WrongType, StringWhereBoolExpected) {
  EXPECT_EQ(error_text("api:\n  send_ipv6: \"true\"\n"),
            "test.yaml:2: api.send_ipv6: expected true or false, got the string 'true'");
}

TEST(WrongType, WordWhereBoolExpected) {
  EXPECT_EQ(error_text("templates: {persist: yes}\n"),
            "test.yaml:1: templates.persist: expected true or false, got 'yes'");
}

TEST(WrongType, StringWhereNumberExpected) {
  EXPECT_EQ(error_text("workers: \"4\"\n"),
            "test.yaml:1: workers: expected a whole number, got the string '4'");
}

TEST(WrongType, WordWhereNumberExpected) {
  EXPECT_EQ(error_text("queue: {capacity: lots}\n"),
            "test.yaml:1: queue.capacity: 'lots' is not a whole number");
}

TEST(WrongType, HostMemoryLimitNotANumber) {
  EXPECT_EQ(error_text("api: {host_memory_limit: many}\n"),
            "test.yaml:1: api.host_memory_limit: 'many' is not a whole number");
  EXPECT_EQ(error_text("api: {host_memory_limit: 1e6}\n"),
            "test.yaml:1: api.host_memory_limit: '1e6' is not a whole number");
  EXPECT_EQ(error_text("api: {host_memory_limit: \"5000\"}\n"),
            "test.yaml:1: api.host_memory_limit: expected a whole number, got the string '5000'");
}

TEST(WrongType, FractionWhereNumberExpected) {
  EXPECT_EQ(error_text("workers: 1.5\n"), "test.yaml:1: workers: '1.5' is not a whole number");
}

TEST(WrongType, ScalarWhereListExpected) {
  EXPECT_EQ(error_text("listen: 0.0.0.0:2055\n"), "test.yaml:1: listen: expected a list, got '0.0.0.0:2055'");
  EXPECT_EQ(error_text("exporters: {defaults: {internal_networks: 10.0.0.0/8}}\n"),
            "test.yaml:1: exporters.defaults.internal_networks: expected a list, got '10.0.0.0/8'");
}

TEST(WrongType, ScalarWhereMapExpected) {
  EXPECT_EQ(error_text("api: https://example.com\n"),
            "test.yaml:1: api: expected a map of keys, got 'https://example.com'");
}

TEST(WrongType, ListWhereMapExpected) {
  EXPECT_EQ(error_text("exporters:\n  - 192.0.2.1\n"),
            "test.yaml:2: exporters: expected a map of keys, got a list");
}

TEST(WrongType, MapWhereListExpected) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    address: 192.0.2.1\n"),
            "test.yaml:3: exporters.list: expected a list, got a map");
}

TEST(WrongType, ListEntryNotAMap) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    - 192.0.2.1\n"),
            "test.yaml:3: exporters.list[0]: expected a map with address and name, got '192.0.2.1'");
  EXPECT_EQ(error_text("services:\n  overrides:\n    - 8443\n"),
            "test.yaml:3: services.overrides[0]: expected a map with port and name, got '8443'");
}

TEST(WrongType, MapWhereTextExpected) {
  EXPECT_EQ(error_text("exporters: {list: [{address: 192.0.2.1, name: {first: a}}]}\n"),
            "test.yaml:1: exporters.list[0].name: expected a text value, got a map");
}

TEST(WrongType, TopLevelNotAMap) {
  EXPECT_EQ(error_text("\n- listen\n- workers\n"),
            "test.yaml:2: the top level must be a map of keys, got a list");
  EXPECT_EQ(error_text("hello\n"), "test.yaml:1: the top level must be a map of keys, got 'hello'");
}

// --- Bad values -----------------------------------------------------------------

TEST(BadValue, CidrInNestedList) {
  const std::string yaml =
      "exporters:\n"
      "  list:\n"
      "    - {address: 192.0.2.1, name: a}\n"
      "    - {address: 192.0.2.2, name: b}\n"
      "    - address: 192.0.2.3\n"
      "      name: c\n"
      "      internal_networks:\n"
      "        - not-a-cidr\n";
  EXPECT_EQ(error_text(yaml),
            "test.yaml:8: exporters.list[2].internal_networks[0]: 'not-a-cidr' is not an address/prefix");
}

TEST(BadValue, CidrPrefixTooLong) {
  EXPECT_EQ(error_text("exporters: {defaults: {internal_networks: [10.0.0.0/33]}}\n"),
            "test.yaml:1: exporters.defaults.internal_networks[0]: '10.0.0.0/33' is not an address/prefix");
}

TEST(BadValue, CidrWithHostBitsSuggestsNetwork) {
  EXPECT_EQ(error_text("exporters: {defaults: {internal_networks: [10.1.2.3/8, \"fd00::1/8\"]}}\n"),
            "test.yaml:1: exporters.defaults.internal_networks[0]: '10.1.2.3/8' has bits set past the prefix "
            "length (did you mean '10.0.0.0/8'?)");
  EXPECT_EQ(error_text("exporters: {defaults: {internal_networks: [\"fd00::1/8\"]}}\n"),
            "test.yaml:1: exporters.defaults.internal_networks[0]: 'fd00::1/8' has bits set past the prefix "
            "length (did you mean 'fd00::/8'?)");
}

TEST(BadValue, ExporterAddress) {
  EXPECT_EQ(error_text("exporters: {list: [{address: edge-fw.example, name: fw}]}\n"),
            "test.yaml:1: exporters.list[0].address: 'edge-fw.example' is not an address/prefix");
}

TEST(BadValue, ServiceAddressMustBeOneAddress) {
  EXPECT_EQ(error_text("services: {overrides: [{port: 443, address: 10.0.0.0/8, name: a}]}\n"),
            "test.yaml:1: services.overrides[0].address: '10.0.0.0/8' is not an IP address");
}

TEST(BadValue, ListenEndpointHostName) {
  EXPECT_EQ(
      error_text("listen: [\"0.0.0.0:2055\", \"localhost:2055\"]\n"),
      "test.yaml:1: listen[1]: 'localhost:2055' has host 'localhost', but the host must be a literal IP "
      "address (names are not resolved)");
}

TEST(BadValue, ListenEndpointPortZero) {
  EXPECT_EQ(error_text("listen:\n  - 0.0.0.0:0\n"),
            "test.yaml:2: listen[0]: '0.0.0.0:0' has port '0', but the port must be 1..65535");
}

TEST(BadValue, MetricsEndpointWithoutPort) {
  EXPECT_EQ(error_text("metrics:\n  listen: 127.0.0.1\n"),
            "test.yaml:2: metrics.listen: '127.0.0.1' needs a port (e.g. 0.0.0.0:2055)");
}

TEST(BadValue, ListenEmpty) {
  EXPECT_EQ(error_text("listen: []\n"), "test.yaml:1: listen: must list at least one endpoint");
}

TEST(BadValue, ListenTcpEndpointPortZero) {
  EXPECT_EQ(error_text("listen_tcp:\n  - 0.0.0.0:0\n"),
            "test.yaml:2: listen_tcp[0]: '0.0.0.0:0' has port '0', but the port must be 1..65535");
}

TEST(BadValue, ListenTcpTwice) {
  EXPECT_EQ(error_text("listen_tcp: [\"0.0.0.0:4739\", \"0.0.0.0:4739\"]\n"),
            "test.yaml:1: listen_tcp[1]: '0.0.0.0:4739' is listed twice");
}

TEST(BadValue, ListenTcpNotAList) {
  EXPECT_EQ(error_text("listen_tcp: 0.0.0.0:4739\n"),
            "test.yaml:1: listen_tcp: expected a list, got '0.0.0.0:4739'");
}

TEST(BadValue, ListenTwice) {
  EXPECT_EQ(error_text("listen: [\"0.0.0.0:2055\", \"0.0.0.0:2055\"]\n"),
            "test.yaml:1: listen[1]: '0.0.0.0:2055' is listed twice");
}

TEST(BadValue, DurationWithoutUnit) {
  EXPECT_EQ(error_text("reduce:\n  window: 3600\n"),
            "test.yaml:2: reduce.window: '3600' has no unit (use ms, s, m or h)");
}

TEST(BadValue, DeliveryOrderDurationsNeedAUnit) {
  EXPECT_EQ(error_text("api: {host_memory: 24}\n"),
            "test.yaml:1: api.host_memory: '24' has no unit (use ms, s, m or h)");
  EXPECT_EQ(error_text("api: {max_age: 1d}\n"),
            "test.yaml:1: api.max_age: '1d' has an unknown unit 'd' (use ms, s, m or h)");
}

TEST(BadValue, DurationNegative) {
  EXPECT_EQ(error_text("api: {timeout: -1s}\n"), "test.yaml:1: api.timeout: '-1s' is negative");
}

TEST(BadValue, DurationUnknownUnit) {
  EXPECT_EQ(error_text("reduce: {window: 1d}\n"),
            "test.yaml:1: reduce.window: '1d' has an unknown unit 'd' (use ms, s, m or h)");
}

TEST(BadValue, DurationOverflow) {
  EXPECT_EQ(error_text("reduce: {window: 99999999999999999h}\n"),
            "test.yaml:1: reduce.window: '99999999999999999h' is too large");
}

TEST(BadValue, SizeUnknownUnit) {
  EXPECT_EQ(error_text("receive_buffer: 32MB\n"),
            "test.yaml:1: receive_buffer: '32MB' has an unknown unit 'MB' (use KiB, MiB or GiB; a bare "
            "number is bytes)");
}

TEST(BadValue, SizeOverflow) {
  EXPECT_EQ(error_text("spool: {max_size: 99999999999GiB}\n"),
            "test.yaml:1: spool.max_size: '99999999999GiB' is too large");
}

TEST(BadValue, UrlWrongScheme) {
  EXPECT_EQ(error_text("api: {url: \"ftp://app.onefirewall.com/x\"}\n"),
            "test.yaml:1: api.url: 'ftp://app.onefirewall.com/x' must start with https:// or http://");
  EXPECT_EQ(error_text("api: {url: app.onefirewall.com}\n"),
            "test.yaml:1: api.url: 'app.onefirewall.com' must start with https:// or http://");
}

TEST(BadValue, UrlWithoutHost) {
  EXPECT_EQ(error_text("api: {url: \"https:///api\"}\n"), "test.yaml:1: api.url: 'https:///api' has no host");
  EXPECT_EQ(error_text("api: {url: \"https://:443/api\"}\n"),
            "test.yaml:1: api.url: 'https://:443/api' has no host");
}

TEST(BadValue, UrlWithCredentials) {
  EXPECT_EQ(
      error_text("api: {url: \"https://me:pw@app.onefirewall.com/\"}\n"),
      "test.yaml:1: api.url: 'https://me:pw@app.onefirewall.com/' must not carry credentials; the token goes "
      "in the file named by api.token_file");
}

TEST(BadValue, UrlBadPort) {
  EXPECT_EQ(error_text("api: {url: \"https://host:99999/x\"}\n"),
            "test.yaml:1: api.url: 'https://host:99999/x' has port '99999', but the port must be 1..65535");
}

TEST(BadValue, UrlBadHost) {
  EXPECT_EQ(error_text("api: {url: \"https://ho_st/x\"}\n"),
            "test.yaml:1: api.url: 'https://ho_st/x' has host 'ho_st', which is not a valid host name");
  EXPECT_EQ(error_text("api: {url: \"https://[zz::1]/x\"}\n"),
            "test.yaml:1: api.url: 'https://[zz::1]/x' has '[zz::1]', which is not an IPv6 address");
}

TEST(BadValue, UrlWithSpace) {
  EXPECT_EQ(error_text("api: {url: \"https://host/a b\"}\n"),
            "test.yaml:1: api.url: 'https://host/a b' contains spaces or control characters");
}

TEST(BadValue, UrlIpv6LiteralIsFine) {
  EXPECT_EQ(error_text("api: {url: \"https://[2001:db8::1]:8443/x\"}\n"), "<no error>");
}

TEST(BadValue, Action) {
  EXPECT_EQ(error_text("exporters:\n  defaults:\n    default_action: allow\n"),
            "test.yaml:3: exporters.defaults.default_action: 'allow' is not an action (use Allow or Deny)");
}

TEST(BadValue, LogLevel) {
  EXPECT_EQ(error_text("log: {level: verbose}\n"),
            "test.yaml:1: log.level: 'verbose' is not a log level (use trace, debug, info, warn, error, "
            "critical or off)");
}

TEST(BadValue, LogLevelNearMiss) {
  EXPECT_EQ(error_text("log: {level: Info}\n"),
            "test.yaml:1: log.level: 'Info' is not a log level (use trace, debug, info, warn, error, "
            "critical or off); "
            "did you mean 'info'?");
}

TEST(BadValue, ProtocolName) {
  EXPECT_EQ(error_text("services: {overrides: [{port: 1, protocol: tcpp, name: a}]}\n"),
            "test.yaml:1: services.overrides[0].protocol: 'tcpp' is not a protocol (use tcp, udp, sctp, "
            "icmp, ... or "
            "a number 0..255)");
}

TEST(BadValue, EmptyName) {
  EXPECT_EQ(error_text("exporters: {list: [{address: 192.0.2.1, name: \"\"}]}\n"),
            "test.yaml:1: exporters.list[0].name: must not be empty");
}

TEST(BadValue, NameWithControlCharacter) {
  EXPECT_EQ(error_text("exporters: {list: [{address: 192.0.2.1, name: \"fw\\n1\"}]}\n"),
            "test.yaml:1: exporters.list[0].name: 'fw\\x0a1' contains a control character");
}

TEST(BadValue, EmptySpoolPath) {
  EXPECT_EQ(error_text("spool: {path: ''}\n"), "test.yaml:1: spool.path: must not be empty");
}

TEST(BadValue, TokenInTokenFileIsNotEchoed) {
  const std::string message = error_text("api: {token_file: \"Bearer eyJhbGciOi.secret\"}\n");
  EXPECT_EQ(
      message,
      "test.yaml:1: api.token_file: looks like a token, not a path; put the token in a file and name that "
      "file here");
  EXPECT_EQ(message.find("secret"), std::string::npos);
  EXPECT_EQ(
      error_text("api: {token_file: eyJhbGciOiJIUzI1NiJ9.e30.x}\n"),
      "test.yaml:1: api.token_file: looks like a token, not a path; put the token in a file and name that "
      "file here");
}

TEST(BadValue, LongValueIsCutShort) {
  const std::string long_value(200, 'x');
  EXPECT_EQ(error_text("log: {level: " + long_value + "}\n"),
            "test.yaml:1: log.level: '" + std::string(80, 'x') +
                "...' is not a log level (use trace, debug, info, warn, error, critical or off)");
}

// --- Required keys --------------------------------------------------------------

TEST(Required, ExporterName) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    - address: 192.0.2.1\n"),
            "test.yaml:3: exporters.list[0]: missing required key 'name'");
}

TEST(Required, ExporterAddress) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    - name: fw\n"),
            "test.yaml:3: exporters.list[0]: missing required key 'address'");
}

TEST(Required, ServicePort) {
  EXPECT_EQ(error_text("services:\n  overrides:\n    - {name: admin}\n"),
            "test.yaml:3: services.overrides[0]: missing required key 'port'");
}

TEST(Required, ServiceName) {
  EXPECT_EQ(error_text("services:\n  overrides:\n    - {port: 8443}\n"),
            "test.yaml:3: services.overrides[0]: missing required key 'name'");
}

TEST(Required, EmptyListEntry) {
  EXPECT_EQ(error_text("exporters:\n  list:\n    -\n"),
            "test.yaml:3: exporters.list[0]: expected a map with address and name, got no value");
}

// --- Duplicates -----------------------------------------------------------------

TEST(Duplicate, ExporterAddress) {
  EXPECT_EQ(
      error_text(
          "exporters:\n  list:\n    - {address: 192.0.2.1, name: a}\n    - {address: 192.0.2.1, name: b}\n"),
      "test.yaml:4: exporters.list[1]: address '192.0.2.1' is already listed as exporters.list[0]");
}

TEST(Duplicate, ExporterAddressAndDomain) {
  const std::string yaml =
      "exporters:\n"
      "  list:\n"
      "    - {address: 192.0.2.0/24, name: a, observation_domain: 5}\n"
      "    - {address: 192.0.2.0/24, name: a, observation_domain: 6}\n"
      "    - {address: 192.0.2.0/24, name: b, observation_domain: 5}\n";
  EXPECT_EQ(
      error_text(yaml),
      "test.yaml:5: exporters.list[2]: address '192.0.2.0/24' with observation_domain 5 is already listed as "
      "exporters.list[0]");
}

TEST(Duplicate, ServiceOverride) {
  EXPECT_EQ(
      error_text("services:\n  overrides:\n    - {port: 443, protocol: tcp, address: 10.0.0.5, name: a}\n"
                 "    - {port: 443, protocol: 6, address: 10.0.0.5, name: b}\n"),
      "test.yaml:4: services.overrides[1]: the override for port 443 protocol 6 address 10.0.0.5 is already "
      "given by services.overrides[0]");
}

// --- YAML syntax and documents --------------------------------------------------

TEST(Syntax, UnclosedFlowSequenceReportsItsLine) {
  EXPECT_EQ(error_text("workers: 1\nlisten: [\"0.0.0.0:2055\"\nlog: {level: info}\n"),
            "test.yaml:3: YAML syntax error: end of sequence flow not found");
}

TEST(Syntax, BadIndentationReportsItsLine) {
  EXPECT_EQ(error_text("api:\n  url: https://a.example\n concurrency: 4\n"),
            "test.yaml:3: YAML syntax error: end of map not found");
}

TEST(Syntax, TabIndentation) {
  EXPECT_EQ(error_text("log:\n\tlevel: info\n"), "test.yaml:2: YAML syntax error: illegal map value");
}

TEST(Syntax, UndefinedAlias) {
  EXPECT_EQ(error_text("workers: 1\nlisten: *endpoints\n"),
            "test.yaml:2: YAML syntax error: the referenced anchor is not defined");
}

TEST(Syntax, SeveralDocuments) {
  EXPECT_EQ(error_text("workers: 1\n---\nworkers: 2\n"),
            "test.yaml:3: holds more than one YAML document; a config is one document");
}

TEST(Syntax, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(error_text("listen: " + std::string(5000, '[')).rfind("test.yaml:1: YAML syntax error: ", 0), 0u);
}

TEST(ErrorParts, AccessorsMatchTheMessage) {
  try {
    testing::parse("exporters:\n  list:\n    - {address: 192.0.2.1, name: fw, default_action: maybe}\n");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.file(), "test.yaml");
    EXPECT_EQ(error.line(), 3);
    EXPECT_EQ(error.key_path(), "exporters.list[0].default_action");
    EXPECT_EQ(error.why(), "'maybe' is not an action (use Allow or Deny)");
  }
}

// --- Files ----------------------------------------------------------------------

TEST(File, MissingFileHasNoLine) {
  try {
    load_config_file("/nonexistent/onefirewall-flowd.yaml");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.line(), 0);
    EXPECT_EQ(error.file(), "/nonexistent/onefirewall-flowd.yaml");
    EXPECT_EQ(error.key_path(), "");
    EXPECT_STREQ(
        error.what(),
        "/nonexistent/onefirewall-flowd.yaml: cannot open the config file: No such file or directory");
  }
}

TEST(File, DirectoryIsNotAConfig) {
  try {
    load_config_file("/");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.line(), 0);
    EXPECT_STREQ(error.what(), "/: cannot read the config file: Is a directory");
  }
}

// Only ConfigError may leave the loader, whatever the input.
TEST(Robustness, OddInputsThrowOnlyConfigError) {
  const std::string inputs[] = {
      std::string("\x01\x02\xff\xfe", 4),
      std::string("a\0b: 1", 6),
      "{",
      "}",
      ": :",
      "[",
      "!!binary AAAA",
      "listen: !!map {}",
      "? \n",
      "&a [*a]",
      "%TAG ! tag:x\n---\n",
      "listen: [[[]]]",
      "exporters: {list: [[]]}",
  };
  for (const std::string& input : inputs) {
    try {
      testing::parse(input);
    } catch (const ConfigError&) {
    } catch (...) {
      ADD_FAILURE() << "a non-ConfigError escaped for input: " << input;
    }
  }
}

}  // namespace
}  // namespace flowd
