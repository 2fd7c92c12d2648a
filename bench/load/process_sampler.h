// What the load tool reads from /proc about a receiver: CPU, peak RSS and socket drops.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace flowd::load {

class ProcessSampler {
 public:
  explicit ProcessSampler(pid_t root) : root_(root) {}

  // Time on CPU, in seconds, of every thread of the process and of its children
  // (nfacctd runs its plugins as child processes), from schedstat in nanoseconds.
  // A thread that exits between two calls takes its time with it: the
  // receivers measured keep theirs for the whole round.
  double cpu_seconds() const;
  // VmHWM summed over the process and its children, in KiB.
  uint64_t peak_rss_kib() const;

 private:
  pid_t root_;
};

// Kernel drops (the "drops" column of /proc/net/udp and udp6) on the sockets bound to
// `port` on a wildcard or 127.0.0.1 address, summed (SO_REUSEPORT gives one per worker).
uint64_t udp_socket_drops(uint16_t port);

// True once a socket is bound to `port` on a wildcard or 127.0.0.1 address.
bool udp_port_bound(uint16_t port);

}  // namespace flowd::load
