#include "suggest.h"

#include <algorithm>
#include <string>
#include <vector>

namespace flowd::config_detail {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(), lower);
  return folded;
}

// Longer than any name a typo could be near: no suggestion is worked out for it.
constexpr std::size_t kLongestTypo = 64;

// Short keys tolerate fewer edits, so that "api" is never offered for "log".
std::size_t allowed_edits(std::string_view candidate) {
  return std::min<std::size_t>(2, std::max<std::size_t>(1, candidate.size() / 3));
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transpositions, kept
  // to three rows of b.size() + 1, so memory grows with one string only.
  const std::size_t columns = b.size() + 1;
  std::vector<std::size_t> before_previous(columns), previous(columns), current(columns);
  for (std::size_t j = 0; j < columns; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j < columns; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string_view> closest_match(std::string_view typo,
                                              std::span<const std::string_view> candidates) {
  if (typo.size() > kLongestTypo) return std::nullopt;
  const std::string folded_typo = lowercase(typo);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (std::string_view candidate : candidates) {
    // The distance is at least the difference in length: skip the work when that is too much.
    const std::size_t length_gap =
        std::max(typo.size(), candidate.size()) - std::min(typo.size(), candidate.size());
    if (length_gap > allowed_edits(candidate)) continue;
    const std::size_t distance = edit_distance(folded_typo, lowercase(candidate));
    if (distance > allowed_edits(candidate)) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace flowd::config_detail
