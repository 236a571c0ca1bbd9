/* What both load programs do first: survive a peer that goes away, and use every descriptor allowed. */
#ifndef TORSION_LOAD_PROCESS_H
#define TORSION_LOAD_PROCESS_H

#include <signal.h>
#include <sys/resource.h>

/* Ignores SIGPIPE (a write to a closed socket is an error, not a death) and raises the soft
 * open-files limit to the hard one; returns that limit. */
static inline int prepare_process(void) {
  signal(SIGPIPE, SIG_IGN);
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  return (int)limit.rlim_cur;
}

#endif
