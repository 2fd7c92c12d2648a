#include "onefirewall_flowd/app/tcp_receiver.h"

#include <boost/asio/post.hpp>

namespace flowd {

TcpReceiver::TcpReceiver(const Config& config, SharedStages& shared, TcpListenerStats& net,
                         Worker::FailureHandler on_failure, const TcpListenerSettings& settings)
    : work_(io_.get_executor()),
      pipeline_(config, stats_.decode, stats_.enrich, shared),
      session_limits_(template_limits(config, kSessionShare)),
      admission_(exporter_admission(config)),
      listener_(
          io_, settings, net, [this](const Datagram& m, uint64_t session) { on_message(m, session); },
          [this](uint64_t session) { close_session(session); },
          [this](const IpAddress& exporter) {
            if (admission_.listed && admission_.listed(exporter)) return TcpAdmission::kListed;
            return admission_.accept_unknown ? TcpAdmission::kUnlisted : TcpAdmission::kRefused;
          }),
      on_failure_(std::move(on_failure)) {}

TcpReceiver::~TcpReceiver() {
  stop();
  join();
}

void TcpReceiver::listen(const std::vector<Endpoint>& endpoints) {
  listener_.start(endpoints);
}

std::vector<boost::asio::ip::tcp::endpoint> TcpReceiver::local_endpoints() const {
  return listener_.local_endpoints();
}

void TcpReceiver::start() {
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {
      on_failure_(std::string("TCP receiver failed: ") + e.what());
    }
  });
}

void TcpReceiver::stop() {
  boost::asio::post(io_, [this] { listener_.stop(); });
  work_.reset();
}

void TcpReceiver::join() {
  if (thread_.joinable()) thread_.join();
}

void TcpReceiver::reconfigure(const Config& config) {
  auto enricher = std::make_unique<Enricher>(config, stats_.enrich);
  boost::asio::post(io_, [this, enricher = std::move(enricher), admission = exporter_admission(config),
                          limits = template_limits(config, kSessionShare)]() mutable {
    pipeline_.set_enricher(std::move(enricher));
    pipeline_.set_admission(admission);
    session_limits_ = limits;
    set_admission(admission);
  });
}

// Sessions of exporters no longer admitted lose their templates; new
// connections from them are refused by the listener's admission.
void TcpReceiver::set_admission(const ExporterAdmission& admission) {
  admission_ = admission;
  for (auto& [session, decoder] : sessions_) {
    const size_t before = decoder->templates_active();
    decoder->set_admission(admission);
    count_templates(before, decoder->templates_active());
  }
}

// Its templates are withdrawn with its decoder.
void TcpReceiver::close_session(uint64_t session) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  count_templates(it->second->templates_active(), 0);
  sessions_.erase(it);
}

// Only the receiver's thread writes the count.
void TcpReceiver::count_templates(size_t before, size_t after) {
  const size_t now = templates_active_.load(std::memory_order_relaxed);
  templates_active_.store(now - before + after, std::memory_order_relaxed);
}

void TcpReceiver::on_message(const Datagram& message, uint64_t session) {
  Decoder& decoder = session_decoder(session);
  const size_t before = decoder.templates_active();
  const bool written = pipeline_.process(message, decoder);
  count_templates(before, decoder.templates_active());
  if (written || failed_) return;
  failed_ = true;
  on_failure_("cannot write records to stdout");
}

Decoder& TcpReceiver::session_decoder(uint64_t session) {
  auto& decoder = sessions_[session];
  if (!decoder) decoder = std::make_unique<Decoder>(stats_.decode, session_limits_);
  return *decoder;
}

}  // namespace flowd
