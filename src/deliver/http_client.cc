#include "onefirewall_flowd/deliver/http_client.h"

#include <curl/curl.h>

#include <strings.h>
#include <algorithm>
#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace flowd {
namespace {

constexpr size_t kMaxResponse = 64 * 1024;
constexpr const char* kSystemCaDir = "/etc/ssl/certs";

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string response;
  std::string retry_after;
  char error[CURL_ERROR_SIZE] = {};
  uint64_t tag = 0;
  bool busy = false;
  std::optional<std::chrono::steady_clock::time_point> sent_by;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->response.append(data, std::min(n, kMaxResponse - std::min(kMaxResponse, t->response.size())));
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  constexpr std::string_view kName = "retry-after:";
  if (n > kName.size() && strncasecmp(data, kName.data(), kName.size()) == 0) {
    t->retry_after.assign(data + kName.size(), n - kName.size());
  }
  return n;
}

TransportError transport_error(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return TransportError::kTimeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING: return TransportError::kConnect;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM: return TransportError::kTls;
    default: return TransportError::kOther;
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void configure(Transfer& t, const HttpSettings& s) {
  CURL* e = t.easy;
  curl_easy_setopt(e, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!s.client_cert.empty()) {
    curl_easy_setopt(e, CURLOPT_SSLCERT, s.client_cert.c_str());
    curl_easy_setopt(e, CURLOPT_SSLKEY, s.client_key.c_str());
  }
  if (!s.ca_file.empty()) {
    // CAINFO replaces the default bundle; the hashed system directory keeps the public roots.
    curl_easy_setopt(e, CURLOPT_CAINFO, s.ca_file.c_str());
    if (std::filesystem::is_directory(kSystemCaDir)) curl_easy_setopt(e, CURLOPT_CAPATH, kSystemCaDir);
  }
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "onefirewall-flowd/" FLOWD_VERSION);
}

}  // namespace

struct HttpClient::Impl {
  HttpSettings settings;
  CURLM* multi = nullptr;
  std::vector<std::unique_ptr<Transfer>> transfers;
  size_t busy = 0;

  void finish(Transfer& t, CURLcode code, std::vector<HttpResult>& finished) {
    HttpResult result;
    result.tag = t.tag;
    result.sent_by = t.sent_by;
    if (code == CURLE_OK && !result.sent_by) result.sent_by = std::chrono::steady_clock::now();
    if (code == CURLE_OK) {
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &result.status);
    } else {
      result.error = transport_error(code);
      result.response = t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
    }
    if (code == CURLE_OK) result.response = std::move(t.response);
    result.retry_after = std::move(t.retry_after);
    release(t);
    finished.push_back(std::move(result));
  }

  // After a perform: a request that reached its pre-transfer point went out
  // during that call, so "now" bounds its departure from above.
  void note_departures() {
    const auto now = std::chrono::steady_clock::now();
    for (auto& t : transfers) {
      if (!t->busy || t->sent_by) continue;
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      if (pretransfer > 0) t->sent_by = now;
    }
  }

  void perform() {
    int running = 0;
    curl_multi_perform(multi, &running);
    note_departures();
  }

  void release(Transfer& t) {
    curl_multi_remove_handle(multi, t.easy);
    curl_slist_free_all(t.headers);
    t.headers = nullptr;
    t.busy = false;
    --busy;
  }
};

HttpClient::HttpClient(const HttpSettings& settings) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->settings = settings;
  impl_->multi = curl_multi_init();
  if (impl_->multi == nullptr) throw std::runtime_error("libcurl: cannot create a multi handle");
  const long slots = std::max<long>(1, settings.concurrency);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, slots);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, slots);
  for (long i = 0; i < slots; ++i) {
    auto t = std::make_unique<Transfer>();
    t->easy = curl_easy_init();
    if (t->easy == nullptr) throw std::runtime_error("libcurl: cannot create an easy handle");
    configure(*t, impl_->settings);
    impl_->transfers.push_back(std::move(t));
  }
}

HttpClient::~HttpClient() {
  abort_all();
  for (auto& t : impl_->transfers) curl_easy_cleanup(t->easy);
  curl_multi_cleanup(impl_->multi);
}

bool HttpClient::has_free_slot() const {
  return impl_->busy < impl_->transfers.size();
}

size_t HttpClient::in_flight() const {
  return impl_->busy;
}

void HttpClient::start(uint64_t tag, const std::string& body, const std::string& token) {
  auto it =
      std::find_if(impl_->transfers.begin(), impl_->transfers.end(), [](const auto& t) { return !t->busy; });
  if (it == impl_->transfers.end()) return;
  Transfer& t = **it;
  t.tag = tag;
  t.body = body;
  t.response.clear();
  t.retry_after.clear();
  t.error[0] = '\0';
  t.sent_by.reset();
  t.headers = curl_slist_append(nullptr, "Content-Type: application/json");
  t.headers = curl_slist_append(t.headers, ("Authorization: " + token).c_str());
  t.headers = curl_slist_append(t.headers, "Expect:");
  curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
  curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, t.body.c_str());
  curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.body.size()));
  t.busy = true;
  ++impl_->busy;
  curl_multi_add_handle(impl_->multi, t.easy);
}

void HttpClient::poll(std::chrono::milliseconds timeout, std::vector<HttpResult>& finished) {
  impl_->perform();
  curl_multi_poll(impl_->multi, nullptr, 0, static_cast<int>(std::max<int64_t>(0, timeout.count())), nullptr);
  impl_->perform();
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    if (t != nullptr && t->busy) impl_->finish(*t, msg->data.result, finished);
  }
}

void HttpClient::wakeup() {
  curl_multi_wakeup(impl_->multi);
}

void HttpClient::abort_all() {
  for (auto& t : impl_->transfers) {
    if (t->busy) impl_->release(*t);
  }
}

}  // namespace flowd
