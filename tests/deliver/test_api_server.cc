#include "test_api_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace flowd::testing {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr const char* kPath = "/api/v1/poc_traffic/direct";

// A self-signed certificate made now, valid for two days.
void make_certificate(const std::filesystem::path& key, const std::filesystem::path& cert,
                      const std::string& common_name) {
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=" +
      common_name + " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + key.string() + " -out " +
      cert.string() + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl could not make a test certificate");
}

bool is_ip(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// Empty when the body is exactly the documented record.
std::string contract_error(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return "not a JSON object";
  if (json.size() != 8) return "has " + std::to_string(json.size()) + " fields, not 8";
  for (const char* key : {"firewall", "direction", "src_ip", "dst_ip", "service", "action"}) {
    if (!json.contains(key) || !json[key].is_string()) return std::string(key) + " missing or not a string";
  }
  for (const char* key : {"src_port", "dst_port"}) {
    if (!json.contains(key) || !json[key].is_number_unsigned() || json[key].get<uint64_t>() > 65535) {
      return std::string(key) + " missing or not a port number";
    }
  }
  const auto direction = json["direction"].get<std::string>();
  if (direction != "inbound" && direction != "outbound") return "bad direction " + direction;
  const auto action = json["action"].get<std::string>();
  if (action != "Allow" && action != "Deny") return "bad action " + action;
  if (!is_ip(json["src_ip"].get<std::string>()) || !is_ip(json["dst_ip"].get<std::string>()))
    return "bad address";
  if (json["firewall"].get<std::string>().empty() || json["service"].get<std::string>().empty()) {
    return "empty firewall or service";
  }
  return {};
}

}  // namespace

// The threads serving accepted connections, and their sockets so that an
// outage can cut them.
class TestApiServer::Connections {
 public:
  void add(int fd, std::thread thread) {
    const std::lock_guard lock(mutex_);
    fds_.push_back(fd);
    threads_.push_back(std::move(thread));
  }
  void forget(int fd) {
    const std::lock_guard lock(mutex_);
    std::erase(fds_, fd);
  }
  void cut_all() {
    const std::lock_guard lock(mutex_);
    for (const int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  void join_all() {
    std::vector<std::thread> threads;
    {
      const std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

 private:
  std::mutex mutex_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
};

TestApiServer::TestApiServer(const std::filesystem::path& dir, ApiServerOptions options)
    : dir_(dir), options_(std::move(options)), connections_(std::make_unique<Connections>()) {
  std::filesystem::create_directories(dir_);
  make_certificate(dir_ / "key.pem", ca_file(), "localhost");
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  tls->use_certificate_chain_file(ca_file());
  tls->use_private_key_file((dir_ / "key.pem").string(), asio::ssl::context::pem);
  if (options_.require_client_cert) {
    make_certificate(client_key_file(), client_cert_file(), "flowd-client");
    tls->load_verify_file(client_cert_file());
    tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  }
  tls_ = tls;
  open_acceptor();
}

TestApiServer::~TestApiServer() {
  close_acceptor();
  connections_->cut_all();
  connections_->join_all();
}

std::string TestApiServer::url() const {
  return "https://localhost:" + std::to_string(port_) + kPath;
}

void TestApiServer::open_acceptor() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (listen_fd_ >= 0) return;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    throw std::runtime_error("test API server cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  acceptor_ = std::thread([this, fd] { accept_loop(fd); });
}

void TestApiServer::close_acceptor() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (listen_fd_ < 0) return;
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the blocked accept()
  acceptor_.join();
  ::close(listen_fd_);
  listen_fd_ = -1;
}

void TestApiServer::set_down(bool down) {
  if (down) {
    close_acceptor();
    connections_->cut_all();
  } else {
    open_acceptor();
  }
}

void TestApiServer::accept_loop(int listen_fd) {
  for (;;) {
    const int fd = ::accept(listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    connections_->add(fd, std::thread([this, fd] { serve(fd); }));
  }
}

void TestApiServer::serve(int fd) {
  asio::io_context io;
  auto& tls = *std::static_pointer_cast<asio::ssl::context>(tls_);
  boost::beast::ssl_stream<tcp::socket> stream(tcp::socket(io, tcp::v4(), fd), tls);
  boost::system::error_code ec;
  stream.handshake(asio::ssl::stream_base::server, ec);
  boost::beast::flat_buffer buffer;
  while (!ec) {
    http::request<http::string_body> req;
    http::read(stream, buffer, req, ec);
    if (ec) break;
    const Verdict v = judge(std::string(req.method_string()), std::string(req.target()),
                            std::string(req[http::field::content_type]),
                            std::string(req[http::field::authorization]), req.body());
    std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms_.load()));
    http::response<http::string_body> res{static_cast<http::status>(v.status), req.version()};
    res.set(http::field::content_type, "application/json");
    if (!v.retry_after.empty()) res.set(http::field::retry_after, v.retry_after);
    res.keep_alive(req.keep_alive());
    res.body() = v.body;
    res.prepare_payload();
    http::write(stream, res, ec);
    if (!req.keep_alive()) break;
  }
  connections_->forget(fd);
  stream.shutdown(ec);
}

std::string TestApiServer::retry_after_locked(Clock::time_point now) const {
  if (retry_after_) return *retry_after_;
  const auto wait = window_.front() + options_.period - now;
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  return std::to_string(std::max<int64_t>(seconds, 1));
}

TestApiServer::Verdict TestApiServer::judge(const std::string& method, const std::string& target,
                                            const std::string& content_type, const std::string& authorization,
                                            const std::string& body) {
  const auto now = Clock::now();
  const std::lock_guard lock(mutex_);
  while (!window_.empty() && now - window_.front() >= options_.period) window_.pop_front();
  window_.push_back(now);  // every request counts, throttled ones too
  Verdict v{201, R"({"status":"created"})", ""};
  std::string broken;
  if (window_.size() > options_.limit) {
    v = {429, R"({"error":"too many requests"})", retry_after_locked(now)};
  } else if (authorization != options_.token) {
    v = {401, R"({"error":"invalid token"})", ""};
  } else if (method != "POST" || target != kPath) {
    broken = "wrong method or path: " + method + " " + target;
    v = {404, R"({"error":"not found"})", ""};
  } else if (content_type != "application/json") {
    broken = "content type " + content_type;
    v = {415, R"({"error":"unsupported media type"})", ""};
  } else if (std::string why = contract_error(body); !why.empty()) {
    broken = "body " + why + ": " + body;
    v = {400, R"({"error":"malformed payload: )" + why + "\"}", ""};
  } else if (!reject_needle_.empty() && body.find(reject_needle_) != std::string::npos) {
    v = {400, R"({"error":"invalid record"})", ""};
  } else if (fail_count_ > 0) {
    --fail_count_;
    v = {fail_status_, R"({"error":"injected failure"})", ""};
  }
  if (!broken.empty()) violations_.push_back(broken);
  seen_.push_back({now, v.status, body});
  return v;
}

void TestApiServer::fail_next(int count, int status) {
  const std::lock_guard lock(mutex_);
  fail_count_ = count;
  fail_status_ = status;
}

void TestApiServer::set_token(const std::string& token) {
  const std::lock_guard lock(mutex_);
  options_.token = token;
}

void TestApiServer::set_retry_after(const std::string& value) {
  const std::lock_guard lock(mutex_);
  retry_after_ = value;
}

void TestApiServer::reject_bodies_containing(const std::string& needle) {
  const std::lock_guard lock(mutex_);
  reject_needle_ = needle;
}

std::vector<SeenRequest> TestApiServer::requests() const {
  const std::lock_guard lock(mutex_);
  return seen_;
}

std::vector<std::string> TestApiServer::accepted_bodies() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& r : seen_) {
    if (r.status == 200 || r.status == 201) out.push_back(r.body);
  }
  return out;
}

size_t TestApiServer::count_status(int status) const {
  const std::lock_guard lock(mutex_);
  return static_cast<size_t>(
      std::count_if(seen_.begin(), seen_.end(), [&](const auto& r) { return r.status == status; }));
}

size_t TestApiServer::contract_violations() const {
  const std::lock_guard lock(mutex_);
  return violations_.size();
}

std::vector<std::string> TestApiServer::violation_reasons() const {
  const std::lock_guard lock(mutex_);
  return violations_;
}

}  // namespace flowd::testing
