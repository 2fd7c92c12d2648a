#include "onefirewall_flowd/decode/set_processor.h"

#include "onefirewall_flowd/decode/data_set.h"
#include "onefirewall_flowd/decode/template_parser.h"

namespace flowd {
namespace {

constexpr uint16_t kFirstDataSetId = 256;

// Set ids of template and options template sets: v9 0 and 1, IPFIX 2 and 3.
uint16_t template_set_id(Dialect dialect) {
  return dialect == Dialect::kIpfix ? 2 : 0;
}

}  // namespace

SetProcessor::SetProcessor(TemplateCache& cache, DecodeStats& stats, ExporterState& exporter,
                           DomainState& domain, const MessageContext& context, std::vector<FlowRecord>& out)
    : cache_(cache), stats_(stats), exporter_(exporter), domain_(domain), context_(context), out_(out) {
  exporter_.pending.expire(context_.received, cache_.limits().pending, cache_.pending_budget(), stats_);
}

void SetProcessor::count(DecodeError error) {
  if (error != DecodeError::kNone) stats_.errors.add(error);
}

void SetProcessor::process(uint16_t set_id, ByteReader body) {
  const uint16_t templates = template_set_id(context_.dialect);
  if (set_id == templates || set_id == templates + 1) {
    learn_templates(body, set_id != templates);
  } else if (set_id >= kFirstDataSetId) {
    decode_data(set_id, body);
  }
  // Other ids are reserved (RFC 3954 5.1, RFC 7011 3.3.2) and skipped.
}

void SetProcessor::learn_templates(ByteReader body, bool options) {
  count(parse_template_set(body, context_.dialect, options, *this));
}

const Template* SetProcessor::held(uint16_t id) const {
  return cache_.held(domain_, id);
}

void SetProcessor::on_record(TemplateRecord record) {
  switch (record.kind) {
    case TemplateRecord::Kind::kDefine: define(record.id, std::move(record.definition)); break;
    case TemplateRecord::Kind::kRefresh: cache_.refresh(domain_, record.id, context_.received); break;
    case TemplateRecord::Kind::kWithdraw: cache_.withdraw(exporter_, domain_, record.id); break;
    case TemplateRecord::Kind::kWithdrawAll:
      cache_.withdraw_all(exporter_, domain_, record.id != template_set_id(context_.dialect));
      break;
  }
}

void SetProcessor::define(uint16_t id, Template t) {
  t.refreshed = context_.received;
  if (cache_.put(exporter_, domain_, id, std::move(t))) release_pending(id);
}

void SetProcessor::decode_data(uint16_t id, ByteReader body) {
  const Template* t = cache_.find(exporter_, domain_, id, context_.received);
  if (t == nullptr) {
    if (body.empty()) return;
    held_data_ = true;
    exporter_.pending.hold(context_, id, body.rest(), cache_.limits().pending, cache_.pending_budget(),
                           stats_);
    return;
  }
  count(decode_data_set(body, *t, context_, {cache_, exporter_, domain_}, out_, data_records_));
}

void SetProcessor::release_pending(uint16_t id) {
  const std::vector<PendingSet> waiting =
      exporter_.pending.take(context_.domain, id, cache_.pending_budget());
  const Template* t = cache_.find(exporter_, domain_, id, context_.received);
  if (t == nullptr) return;
  for (const PendingSet& held : waiting) {
    // Held records advance no IPFIX sequence: their message's was not counted.
    uint32_t records = 0;
    count(decode_data_set(ByteReader(held.bytes), *t, held.context, {cache_, exporter_, domain_}, out_,
                          records));
    stats_.pending_decoded.add();
  }
}

}  // namespace flowd
