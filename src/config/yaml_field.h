#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "key_schema.h"
#include "quote.h"

namespace flowd::config_detail {

// A YAML node together with what an error about it must name: the file, the
// 1-based line and the dotted key path ("exporters.list[2].name").
class Field {
 public:
  Field(const YAML::Node& node, std::string path, int line, const std::string& file);

  [[nodiscard]] const YAML::Node& node() const { return node_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] const std::string& file() const { return *file_; }
  [[nodiscard]] bool is_null() const { return node_.IsNull(); }
  // True for a scalar written in quotes (or tagged !!str): a string, never a number or bool.
  [[nodiscard]] bool is_quoted() const;

  // Throws the ConfigError that names this field.
  [[noreturn]] void fail(const std::string& why) const;

  // The scalar text; fails, naming `expected`, when the node is a map, a list or empty.
  [[nodiscard]] std::string scalar(std::string_view expected) const;
  // The elements of a list (an empty value is an empty list); fails on anything else.
  [[nodiscard]] std::vector<Field> items() const;
  [[nodiscard]] Field member(std::string_view key, const YAML::Node& value, int key_line) const;

 private:
  YAML::Node node_;
  std::string path_;
  int line_;
  const std::string* file_;
};

// A YAML map whose keys have been checked: unique, plain, and among those allowed.
// An empty value is an empty map.
class Section {
 public:
  Section(const Field& field, KeyList allowed);

  [[nodiscard]] std::optional<Field> find(std::string_view key) const;
  // Fails, naming the map, when the key is absent.
  [[nodiscard]] Field require(std::string_view key) const;
  [[nodiscard]] const Field& field() const { return field_; }

 private:
  struct Entry {
    std::string key;
    Field value;
  };

  Field field_;
  std::vector<Entry> entries_;
};

// "a map", "a list", "no value" or the quoted scalar: what was found instead.
std::string describe(const YAML::Node& node);

// The 1-based line of a node, or `fallback` when the node carries none.
int line_of(const YAML::Node& node, int fallback);

}  // namespace flowd::config_detail
