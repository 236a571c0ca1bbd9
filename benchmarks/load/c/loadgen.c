/*
 * The load generator of the echo benchmarks: one thread, epoll, no allocation on the hot path,
 * so that the server, not the client, is what is measured. Talks to 127.0.0.1 only.
 *
 *   loadgen pingpong PORT CONNECTIONS SECONDS SIZE WARMUP
 *       each connection sends SIZE bytes and waits for all of them to come back, again and again;
 *       prints round trips per second and their latency (p50, p99), and cpu= its own CPU share
 *   loadgen stream PORT CONNECTIONS SECONDS SIZE WARMUP [WINDOW]
 *       each connection writes SIZE-byte messages without waiting, keeping at most WINDOW bytes
 *       (256 KiB by default) not yet echoed; prints the echoed bytes per second, and cpu= its own
 *       CPU share (1.00: a whole core, so the load generator, not the server, was the limit)
 *   loadgen storm PORT CONNECTIONS
 *       opens CONNECTIONS connections from one source address (at most 256 under way at once),
 *       proves each one served by an echoed byte, prints the rate (and cpu=), then closes them all
 *   loadgen hold PORT CONNECTIONS
 *       opens CONNECTIONS connections (at most 256 under way at once) in two halves, the second
 *       after SIGUSR1, proves each one served by an echoed byte, prints how many and how fast
 *       after each half, then holds them idle until killed
 *
 * Every echoed byte is checked against what was sent; a mismatch or a closed connection is an
 * error (exit status 1). Results are one line of key=value pairs on standard output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

#define MAX_EVENTS 1024
#define READ_SIZE (256 * 1024)
#define LATENCY_BUCKETS 100000 /* one per microsecond, up to 100 ms; slower ones go in the last */
#define HOLD_IN_FLIGHT 256
#define CHECK_EVERY 8 /* stream: one read in this many is copied and checked; the kernel discards the rest */
#define HOLD_TIMEOUT_S 120.0

struct conn {
  int fd;
  unsigned reads;    /* stream: reads so far, to check one in CHECK_EVERY */
  uint64_t sent;     /* bytes written */
  uint64_t received; /* bytes echoed back */
  double started;    /* pingpong: when the message now under way was sent */
};

static struct sockaddr_in target;
static unsigned char *pattern; /* the stream from any message boundary on: byte i of a message is i % 251 */
static size_t size;
static unsigned char readbuf[READ_SIZE];
static uint32_t latencies[LATENCY_BUCKETS];

/* The CPU this process has used, user and system, in seconds. */
static double cpu_used(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what) {
  fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void failx(const char *what) {
  fprintf(stderr, "loadgen: %s\n", what);
  exit(1);
}

static int open_socket(int flags) {
  int fd = socket(AF_INET, SOCK_STREAM | flags, 0);
  if (fd < 0) fail("socket");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void watch(int epfd, int op, int fd, unsigned events, void *ptr) {
  struct epoll_event ev = {.events = events, .data.ptr = ptr};
  if (epoll_ctl(epfd, op, fd, &ev) < 0) fail("epoll_ctl");
}

static ssize_t read_sampled(struct conn *c, size_t max, int check);

/* Reads what is there (up to max) and checks it against the stream sent; returns the bytes read. */
static ssize_t read_checked(struct conn *c, size_t max) {
  return read_sampled(c, max, 1);
}

/* Reads what is there (up to max); when check is 0 the kernel discards the bytes (MSG_TRUNC: no
 * copy to this process) and only their count is kept, else they are checked as read_checked does. */
static ssize_t read_sampled(struct conn *c, size_t max, int check) {
  ssize_t n = check ? read(c->fd, readbuf, max) : recv(c->fd, NULL, max, MSG_TRUNC);
  if (n == 0) failx("the server closed a connection");
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return 0;
    fail("read");
  }
  size_t offset = (size_t)(c->received % size);
  for (size_t done = 0; check && done < (size_t)n;) {
    size_t left = (size_t)n - done;
    size_t run = size - offset < left ? size - offset : left;
    if (memcmp(readbuf + done, pattern + offset, run) != 0) failx("the echo differs from what was sent");
    done += run;
    offset = 0;
  }
  c->received += (uint64_t)n;
  return n;
}

/* Writes up to max bytes of the message stream in one write, across message boundaries; returns the
 * bytes written (0 when the socket is full). */
static ssize_t write_stream(struct conn *c, size_t max) {
  size_t offset = (size_t)(c->sent % size);
  size_t run = max < READ_SIZE ? max : READ_SIZE;
  ssize_t n = write(c->fd, pattern + offset, run);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return 0;
    fail("write");
  }
  c->sent += (uint64_t)n;
  return n;
}

/* Writes until WINDOW bytes are on their way and not yet echoed, or the socket is full. */
static void fill_window(struct conn *c, uint64_t window) {
  while (c->sent - c->received < window && write_stream(c, window - (c->sent - c->received)) > 0) {
  }
}

static struct conn *connect_all(int epfd, int count) {
  struct conn *conns = calloc((size_t)count, sizeof *conns);
  for (int i = 0; i < count; i++) {
    conns[i].fd = open_socket(0);
    if (connect(conns[i].fd, (struct sockaddr *)&target, sizeof target) < 0) fail("connect");
    fcntl(conns[i].fd, F_SETFL, fcntl(conns[i].fd, F_GETFL) | O_NONBLOCK);
    watch(epfd, EPOLL_CTL_ADD, conns[i].fd, EPOLLIN | EPOLLOUT | EPOLLET, &conns[i]);
  }
  return conns;
}

static double percentile(uint64_t total, double p) {
  uint64_t wanted = (uint64_t)((double)total * p), seen = 0;
  for (int i = 0; i < LATENCY_BUCKETS; i++) {
    seen += latencies[i];
    if (seen > wanted) return i;
  }
  return LATENCY_BUCKETS;
}

static int pingpong(int count, double seconds, double warmup) {
  int epfd = epoll_create1(0);
  struct conn *conns = connect_all(epfd, count);
  double start = now(), measuring = start + warmup, end = measuring + seconds;
  int counting = warmup <= 0;
  double cpu_start = cpu_used();
  uint64_t trips = 0;
  for (int i = 0; i < count; i++) {
    conns[i].started = now();
    if ((size_t)write_stream(&conns[i], size) != size) failx("a first message did not fit the socket");
  }
  struct epoll_event events[MAX_EVENTS];
  for (double t = now(); t < end; t = now()) {
    if (!counting && t >= measuring) {
      counting = 1;
      trips = 0;
      cpu_start = cpu_used();
      memset(latencies, 0, sizeof latencies);
    }
    int ready = epoll_wait(epfd, events, MAX_EVENTS, 10);
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      while (read_checked(c, size - (size_t)(c->received % size)) > 0) {
        if (c->received == c->sent) { /* the whole message is back: time it, send the next */
          double done = now();
          long us = (long)((done - c->started) * 1e6);
          latencies[us < LATENCY_BUCKETS ? us : LATENCY_BUCKETS - 1]++;
          trips++;
          c->started = done;
          if ((size_t)write_stream(c, size) != size) failx("a message did not fit an empty socket");
        }
      }
    }
  }
  printf("mode=pingpong connections=%d size=%zu seconds=%.1f trips=%llu rate=%.0f p50_us=%.0f p99_us=%.0f cpu=%.2f\n",
         count, size, seconds, (unsigned long long)trips, (double)trips / seconds,
         percentile(trips, 0.50), percentile(trips, 0.99), (cpu_used() - cpu_start) / seconds);
  return 0;
}

static int stream(int count, double seconds, double warmup, uint64_t window) {
  int epfd = epoll_create1(0);
  struct conn *conns = connect_all(epfd, count);
  double start = now(), measuring = start + warmup, end = measuring + seconds;
  int counting = warmup <= 0;
  double cpu_start = cpu_used();
  uint64_t echoed = 0;
  struct epoll_event events[MAX_EVENTS];
  for (int i = 0; i < count; i++) fill_window(&conns[i], window); /* once; then reads make room */
  for (double t = now(); t < end; t = now()) {
    if (!counting && t >= measuring) {
      counting = 1;
      echoed = 0;
      cpu_start = cpu_used();
    }
    int ready = epoll_wait(epfd, events, MAX_EVENTS, 10);
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      ssize_t n;
      while ((n = read_sampled(c, READ_SIZE, c->reads++ % CHECK_EVERY == 0)) > 0) echoed += (uint64_t)n;
      fill_window(c, window);
    }
  }
  printf("mode=stream connections=%d size=%zu seconds=%.1f bytes=%llu mib_s=%.1f cpu=%.2f\n", count, size,
         seconds, (unsigned long long)echoed, (double)echoed / seconds / (1024.0 * 1024.0),
         (cpu_used() - cpu_start) / seconds);
  return 0;
}

/* Opens connections until `goal` are served (or failed); returns the seconds it took. With `spread`
 * they come from 64 loopback source addresses, else from 127.0.0.1 alone. */
static double open_until(int epfd, struct conn *conns, int goal, int *opened, int *served, int *failed,
                         int spread) {
  int under_way = 0;
  double start = now();
  struct epoll_event events[MAX_EVENTS];
  while (*served + *failed < goal && now() - start < HOLD_TIMEOUT_S) {
    while (*opened < goal && under_way < HOLD_IN_FLIGHT) {
      struct conn *c = &conns[(*opened)++];
      c->fd = open_socket(SOCK_NONBLOCK);
      if (spread) {
        /* Spread the connections over 64 source addresses, so that finding a free local port does
         * not slow down as the ephemeral range fills up (it would dominate the connect rate). */
        int one = 1;
        setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in source = {.sin_family = AF_INET,
                                     .sin_addr.s_addr = htonl(0x7f000001u + 1 + (uint32_t)(*opened % 64))};
        if (bind(c->fd, (struct sockaddr *)&source, sizeof source) < 0) fail("bind");
      }
      if (connect(c->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) fail("connect");
      watch(epfd, EPOLL_CTL_ADD, c->fd, EPOLLOUT, c);
      under_way++;
    }
    int ready = epoll_wait(epfd, events, MAX_EVENTS, 100);
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      if (c->sent == 0) { /* connected (or refused): send the one byte that proves it is served */
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || write(c->fd, pattern, 1) != 1) {
          (*failed)++;
          under_way--;
          close(c->fd);
          c->fd = -1;
          continue;
        }
        c->sent = 1;
        watch(epfd, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
      } else if (read_checked(c, 1) == 1) {
        (*served)++;
        under_way--;
        watch(epfd, EPOLL_CTL_DEL, c->fd, 0, c);
      }
    }
  }
  return now() - start;
}

/* Opens half the connections, says so, waits for SIGUSR1, opens the other half, says so, and
 * holds them all until killed: the caller measures the server's memory at both points, so that
 * what the second half costs is free of one-off costs (JIT, pools, tables growing). */
static int hold(int count) {
  int epfd = epoll_create1(0);
  struct conn *conns = calloc((size_t)count, sizeof *conns);
  int opened = 0, served = 0, failed = 0;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  double took = open_until(epfd, conns, count / 2, &opened, &served, &failed, 1);
  printf("mode=hold-half connections=%d served=%d failed=%d seconds=%.2f\n", count / 2, served, failed, took);
  fflush(stdout);
  int signal_number;
  sigwait(&usr1, &signal_number);
  int first = served;
  took = open_until(epfd, conns, count, &opened, &served, &failed, 1);
  printf("mode=hold connections=%d served=%d failed=%d second_half=%d seconds=%.2f rate=%.0f\n", count, served,
         failed, served - first, took, (double)(served - first) / took);
  fflush(stdout);
  for (;;) pause(); /* idle until killed; the kernel closes every socket then */
  return 0;
}

/* A connection storm, as a restarted server sees when its clients reconnect at once: opens
 * `count` connections from one source address, 256 under way at a time, each proved served by an
 * echoed byte, then closes them all. */
static int storm(int count) {
  int epfd = epoll_create1(0);
  struct conn *conns = calloc((size_t)count, sizeof *conns);
  int opened = 0, served = 0, failed = 0;
  double cpu_start = cpu_used();
  double took = open_until(epfd, conns, count, &opened, &served, &failed, 0);
  printf("mode=storm connections=%d served=%d failed=%d seconds=%.2f rate=%.0f cpu=%.2f\n", count, served, failed,
         took, (double)served / took, (cpu_used() - cpu_start) / took);
  for (int i = 0; i < opened; i++) {
    if (conns[i].fd >= 0) close(conns[i].fd);
  }
  return served == count ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: loadgen pingpong|stream PORT CONNECTIONS SECONDS SIZE WARMUP [WINDOW]\n"
                    "       loadgen hold|storm PORT CONNECTIONS\n");
    return 2;
  }
  prepare_process();
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)atoi(argv[2]));
  inet_pton(AF_INET, "127.0.0.1", &target.sin_addr);
  int count = atoi(argv[3]);
  size = argc > 5 ? (size_t)atol(argv[5]) : 64;
  if (size == 0 || size > READ_SIZE) failx("SIZE must be 1 to 262144");
  pattern = malloc(size + READ_SIZE);
  for (size_t i = 0; i < size + READ_SIZE; i++) pattern[i] = (unsigned char)(i % size % 251);
  if (strcmp(argv[1], "hold") == 0) return hold(count);
  if (strcmp(argv[1], "storm") == 0) return storm(count);
  if (argc < 7) failx("pingpong and stream take PORT CONNECTIONS SECONDS SIZE WARMUP");
  double seconds = atof(argv[4]), warmup = atof(argv[6]);
  if (strcmp(argv[1], "pingpong") == 0) return pingpong(count, seconds, warmup);
  if (strcmp(argv[1], "stream") == 0) return stream(count, seconds, warmup, argc > 7 ? (uint64_t)atol(argv[7]) : 256 * 1024);
  failx("the mode is pingpong, stream or hold");
  return 2;
}
