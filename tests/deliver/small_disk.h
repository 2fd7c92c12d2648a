#pragma once

// A small tmpfs for the full-disk tests. Mounting needs root (CAP_SYS_ADMIN):
// tests GTEST_SKIP loudly without it.

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace flowd::testing {

class SmallDisk {
 public:
  SmallDisk(std::filesystem::path at, uint64_t bytes) : path_(std::move(at)) {
    std::filesystem::create_directories(path_);
    const std::string options = "size=" + std::to_string(bytes);
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) why_not_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] std::string skip_reason() const {
    return "SKIPPED LOUDLY: cannot mount a tmpfs at " + path_.string() + " (" + why_not_ +
           "); the full-disk test needs root";
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Takes every free byte.
  void fill() {
    std::ofstream out(path_ / "filler", std::ios::binary | std::ios::app);
    const std::string block(4096, 'f');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
    }
  }
  void release() { std::filesystem::remove(path_ / "filler"); }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace flowd::testing
