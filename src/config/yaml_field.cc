#include "yaml_field.h"

#include <algorithm>
#include <utility>

#include "onefirewall_flowd/config/config_loader.h"

namespace flowd::config_detail {
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return quote(node.Scalar());
    default: return "no value";
  }
}

int line_of(const YAML::Node& node, int fallback) {
  // An empty value's mark points at whatever follows it, so the key's line is better.
  if (node.IsNull()) return fallback;
  const int line = node.Mark().line;
  return line < 0 ? fallback : line + 1;
}

Field::Field(const YAML::Node& node, std::string path, int line, const std::string& file)
    : node_(node), path_(std::move(path)), line_(line), file_(&file) {}

bool Field::is_quoted() const {
  const std::string& tag = node_.Tag();
  return tag == "!" || tag == "tag:yaml.org,2002:str";
}

void Field::fail(const std::string& why) const {
  throw ConfigError(*file_, line_, path_, why);
}

std::string Field::scalar(std::string_view expected) const {
  if (!node_.IsScalar()) fail("expected " + std::string(expected) + ", got " + describe(node_));
  return node_.Scalar();
}

std::vector<Field> Field::items() const {
  std::vector<Field> elements;
  if (is_null()) return elements;
  if (!node_.IsSequence()) fail("expected a list, got " + describe(node_));
  for (std::size_t i = 0; i < node_.size(); ++i) {
    const YAML::Node element = node_[i];
    elements.emplace_back(element, path_ + "[" + std::to_string(i) + "]", line_of(element, line_), *file_);
  }
  return elements;
}

Field Field::member(std::string_view key, const YAML::Node& value, int key_line) const {
  std::string child_path = path_.empty() ? path_key(key) : path_ + "." + path_key(key);
  return Field(value, std::move(child_path), line_of(value, key_line), *file_);
}

Section::Section(const Field& field, KeyList allowed) : field_(field) {
  if (field.is_null()) return;
  if (!field.node().IsMap()) field.fail("expected a map of keys, got " + describe(field.node()));
  for (const auto& pair : field.node()) {
    const int key_line = line_of(pair.first, field.line());
    if (!pair.first.IsScalar()) {
      const Field key_field(pair.first, field.path(), key_line, field.file());
      key_field.fail("a key must be a plain name, got " + describe(pair.first));
    }
    const std::string key = pair.first.Scalar();
    const Field value = field.member(key, pair.second, key_line);
    const Field key_field(pair.first, value.path(), key_line, field.file());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      key_field.fail(unknown_key_message(key, allowed));
    }
    if (find(key)) key_field.fail("duplicate key " + quote(key));
    entries_.push_back(Entry{key, value});
  }
}

std::optional<Field> Section::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return entry.value;
  }
  return std::nullopt;
}

Field Section::require(std::string_view key) const {
  std::optional<Field> value = find(key);
  if (!value) field_.fail("missing required key '" + std::string(key) + "'");
  return *value;
}

}  // namespace flowd::config_detail
