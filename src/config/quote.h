#pragma once

#include <string>
#include <string_view>

namespace flowd::config_detail {

// 'text' in single quotes, control characters escaped and long text cut short.
std::string quote(std::string_view text);

// text with control characters escaped, e.g. a YAML parser's message quoting the input.
std::string without_controls(std::string_view text);

// A key as it appears in a key path: control characters escaped, long keys cut short.
std::string path_key(std::string_view key);

}  // namespace flowd::config_detail
