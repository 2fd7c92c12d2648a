#include "onefirewall_flowd/deliver/uploader.h"

#include "delivery_loop.h"

namespace flowd {

UploaderSettings UploaderSettings::from(const Config& config) {
  UploaderSettings s;
  s.http.url = config.api.url;
  s.http.ca_file = config.api.ca_file;
  s.http.client_cert = config.api.client_cert;
  s.http.client_key = config.api.client_key;
  s.http.concurrency = config.api.concurrency;
  s.http.timeout = config.api.timeout;
  s.rate_limit_requests = config.api.rate_limit_requests;
  s.rate_limit_period = config.api.rate_limit_period;
  s.max_retry_after = config.api.max_retry_after;
  s.spool_dir = config.spool_path;
  s.spool_max_size = config.spool_max_size;
  s.host_memory = config.api.host_memory;
  s.host_memory_limit = config.api.host_memory_limit;
  s.max_age = config.api.max_age;
  s.queue_capacity = config.queue_capacity;
  return s;
}

Uploader::Uploader(const UploaderSettings& settings, std::string token, DeliverStats& stats)
    : loop_(std::make_unique<DeliveryLoop>(settings, std::move(token), stats)) {}

Uploader::~Uploader() {
  stop();
}

void Uploader::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop_->run(); });
}

bool Uploader::enqueue(Admission record) {
  return loop_->enqueue(std::move(record));
}

void Uploader::set_token(std::string token) {
  loop_->set_token(std::move(token));
}

void Uploader::stop() {
  loop_->request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace flowd
