/*
 * The near-physical-limit reference for the echo benchmarks: a minimal single-threaded epoll echo
 * server in C. Reads up to 64 KiB per read() into one shared buffer and writes it straight back;
 * what the socket does not take is kept per connection and reading that connection stops until it
 * is sent (so memory stays bounded by one read per connection). Idle connections cost nothing
 * here beyond the kernel's socket.
 *
 * Usage: epoll-echo PORT   (listens on 127.0.0.1; prints "epoll-echo: 127.0.0.1:PORT" when ready)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "process.h"

#define READ_SIZE (64 * 1024)
#define MAX_EVENTS 512
#define READS_PER_EVENT 16

struct pending { /* bytes a connection's socket did not take yet */
  char *data;
  size_t length;
  size_t offset;
};

static struct pending **pendings; /* indexed by fd; NULL while nothing is pending */
static int max_fds;
static int epfd;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void watch(int fd, int op, unsigned events) {
  struct epoll_event ev = {.events = events, .data.fd = fd};
  if (epoll_ctl(epfd, op, fd, &ev) < 0) die("epoll_ctl");
}

static void drop(int fd) {
  if (pendings[fd]) {
    free(pendings[fd]->data);
    free(pendings[fd]);
    pendings[fd] = NULL;
  }
  close(fd); /* also removes it from the epoll set */
}

/* Writes what is pending; returns 1 when all of it is sent, 0 when the socket is full, -1 on error. */
static int flush(int fd) {
  struct pending *p = pendings[fd];
  while (p->offset < p->length) {
    ssize_t n = write(fd, p->data + p->offset, p->length - p->offset);
    if (n < 0) return errno == EAGAIN ? 0 : -1;
    p->offset += (size_t)n;
  }
  free(p->data);
  free(p);
  pendings[fd] = NULL;
  return 1;
}

static void readable(int fd, char *buf) {
  for (int i = 0; i < READS_PER_EVENT; i++) {
    ssize_t n = read(fd, buf, READ_SIZE);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      drop(fd);
      return;
    }
    if (n < 0) return;
    ssize_t w = write(fd, buf, (size_t)n);
    if (w < 0 && errno != EAGAIN) {
      drop(fd);
      return;
    }
    if (w < 0) w = 0;
    if (w < n) { /* keep the rest, stop reading until it is sent */
      struct pending *p = malloc(sizeof *p);
      p->length = (size_t)(n - w);
      p->offset = 0;
      p->data = malloc(p->length);
      memcpy(p->data, buf + w, p->length);
      pendings[fd] = p;
      watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
      return;
    }
    if (n < READ_SIZE) return; /* the socket is drained */
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  max_fds = prepare_process() + 1;
  pendings = calloc((size_t)max_fds, sizeof *pendings);

  int server = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(server, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  if (listen(server, 4096) < 0) die("listen");
  epfd = epoll_create1(0);
  watch(server, EPOLL_CTL_ADD, EPOLLIN);
  printf("epoll-echo: 127.0.0.1:%s\n", argv[1]);
  fflush(stdout);

  static char buf[READ_SIZE];
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int ready = epoll_wait(epfd, events, MAX_EVENTS, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < ready; i++) {
      int fd = events[i].data.fd;
      if (fd == server) {
        for (;;) {
          int client = accept4(server, NULL, NULL, SOCK_NONBLOCK);
          if (client < 0) break; /* EAGAIN, or out of descriptors: retried on the next wake-up */
          setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          watch(client, EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP);
        }
      } else if (pendings[fd]) {
        int sent = flush(fd);
        if (sent < 0) drop(fd);
        else if (sent > 0) watch(fd, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
      } else {
        readable(fd, buf);
      }
    }
  }
}
