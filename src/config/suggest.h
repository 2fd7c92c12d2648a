#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace flowd::config_detail {

// Edits (insert, delete, substitute, swap two neighbours) that turn a into b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate that `typo` most plausibly misspells, if any is close enough.
std::optional<std::string_view> closest_match(std::string_view typo,
                                              std::span<const std::string_view> candidates);

}  // namespace flowd::config_detail
