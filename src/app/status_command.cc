#include "onefirewall_flowd/app/status_command.h"

#include <curl/curl.h>

#include <iostream>
#include <memory>
#include <thread>

#include "onefirewall_flowd/app/exporter_liveness.h"
#include "onefirewall_flowd/app/status_report.h"
#include "onefirewall_flowd/config/config_loader.h"

namespace flowd {
namespace {

constexpr std::chrono::milliseconds kRequestTimeout{5000};

size_t append_body(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// The metrics endpoint as a URL; a wildcard listen address is reached on loopback.
std::string base_url(const Endpoint& endpoint) {
  IpAddress address = endpoint.address;
  if (address == IpAddress::from_v4(0)) address = IpAddress::from_v4(0x7f000001);
  if (address == IpAddress{}) address = *IpAddress::parse("::1");
  const std::string host = address.is_v4() ? address.to_string() : "[" + address.to_string() + "]";
  return "http://" + host + ":" + std::to_string(endpoint.port);
}

int not_running(const StatusOptions& options, const std::string& url, const std::string& error) {
  const std::string message = "onefirewall-flowd is not running, or its metrics endpoint " + url +
                              " (metrics.listen) does not answer: " + error;
  if (options.json) {
    std::cout << nlohmann::json{{"running", false}, {"healthy", false}, {"error", message}}.dump(2) << "\n";
  } else {
    std::cout << message << "\n";
  }
  return kStatusNotRunning;
}

std::optional<std::string> health_problem(const std::string& url) {
  const HttpGetResult health = http_get_url(url + "/healthz", kRequestTimeout);
  if (!health.error.empty()) return "/healthz did not answer: " + health.error;
  if (health.status == 200) return std::nullopt;
  const auto body = nlohmann::json::parse(health.body, nullptr, false);
  if (body.is_object() && body.contains("reason") && body["reason"].is_string())
    return body["reason"].get<std::string>();
  return "/healthz answered HTTP " + std::to_string(health.status);
}

}  // namespace

HttpGetResult http_get_url(const std::string& url, std::chrono::milliseconds timeout) {
  HttpGetResult result;
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, "", "cannot set up libcurl"};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");  // the daemon is local: an http_proxy must not apply
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &result.body);
  if (const CURLcode code = curl_easy_perform(curl.get()); code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
    return result;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

int run_status(const StatusOptions& options) {
  Config config;
  try {
    config = load_config_file(options.config_path);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kStatusUnknown;
  }
  const std::string url = base_url(config.metrics_listen);
  const auto started = std::chrono::steady_clock::now();
  const HttpGetResult first = http_get_url(url + "/metrics", kRequestTimeout);
  if (!first.error.empty()) return not_running(options, url, first.error);
  std::this_thread::sleep_for(options.interval);
  const auto second_at = std::chrono::steady_clock::now();
  const HttpGetResult second = http_get_url(url + "/metrics", kRequestTimeout);
  if (!second.error.empty()) return not_running(options, url, second.error);
  if (first.status != 200 || second.status != 200) {
    return not_running(options, url, "/metrics answered HTTP " + std::to_string(second.status));
  }
  const PromText before = PromText::parse(first.body);
  const PromText after = PromText::parse(second.body);
  const double seconds = std::chrono::duration<double>(second_at - started).count();
  const int64_t now = unix_seconds_now();
  const StatusReport report = build_status_report({before, after, seconds, config, now, health_problem(url)});
  if (options.json) {
    nlohmann::json json = status_json(report);
    json["running"] = true;
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << render_status_text(report, now);
  }
  return report.healthy() ? kStatusHealthy : kStatusDegraded;
}

}  // namespace flowd
