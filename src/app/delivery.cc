#include "onefirewall_flowd/app/delivery.h"

namespace flowd {

std::unique_ptr<Delivery> Delivery::dry_run() {
  return std::unique_ptr<Delivery>(new Delivery);
}

std::unique_ptr<Delivery> Delivery::upload(const Config& config, std::string token) {
  auto d = std::unique_ptr<Delivery>(new Delivery);
  d->uploader_ = std::make_unique<Uploader>(UploaderSettings::from(config), std::move(token), d->stats_);
  d->queue_sink_ = std::make_unique<QueueSink>(*d->uploader_);
  return d;
}

EventSink& Delivery::sink() {
  return queue_sink_ ? static_cast<EventSink&>(*queue_sink_) : stdout_sink_;
}

void Delivery::start() {
  if (uploader_) uploader_->start();
}

void Delivery::stop() {
  stdout_sink_.flush();
  if (uploader_) uploader_->stop();
}

void Delivery::set_token(std::string token) {
  if (uploader_) uploader_->set_token(std::move(token));
}

std::string Delivery::summary() const {
  if (dry()) return "written " + std::to_string(stdout_sink_.written());
  return describe(stats_, unix_ms(std::chrono::system_clock::now()));
}

}  // namespace flowd
