/*
 * tlsload: the TLS load generator of benchmarks/load/tls.sh, on OpenSSL (libssl), so that the
 * client side costs what a C client costs and the server under test is what saturates.
 *
 *   tlsload stream PORT CONNS SECONDS      CONNS threads, each with 64 KiB in flight in 16 KiB
 *                                          writes to a TLS echo server; prints MiB/s echoed
 *   tlsload handshakes PORT SECONDS        full TLS 1.3 handshakes (no resumption), one after the
 *                                          other, each proved by an echoed byte; prints per second
 *   tlsload hold PORT N                    opens N TLS connections, each proved by an echoed byte,
 *                                          prints "held N", and holds them until killed
 *
 * The server's certificate is not verified: the load generator measures, it does not trust.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static SSL_CTX *ctx;
static int port;
static atomic_long echoed;
static atomic_int stop;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static SSL *open_tls(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
    perror("connect");
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  SSL *ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  if (SSL_connect(ssl) != 1) {
    ERR_print_errors_fp(stderr);
    exit(1);
  }
  return ssl;
}

static void ping(SSL *ssl) {
  char byte = 'x';
  if (SSL_write(ssl, &byte, 1) != 1 || SSL_read(ssl, &byte, 1) != 1 || byte != 'x') {
    fprintf(stderr, "no echo\n");
    exit(1);
  }
}

static void close_tls(SSL *ssl) {
  int fd = SSL_get_fd(ssl);
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
}

static void *streamer(void *unused) {
  (void)unused;
  SSL *ssl = open_tls();
  static char chunk[16384];
  char in[16384];
  for (int i = 0; i < 4; i++) {
    SSL_write(ssl, chunk, sizeof chunk);
  }
  long behind = 0; /* bytes read of the chunk under way */
  while (!atomic_load(&stop)) {
    int n = SSL_read(ssl, in, sizeof in);
    if (n <= 0) {
      fprintf(stderr, "stream read failed\n");
      exit(1);
    }
    atomic_fetch_add(&echoed, n);
    behind += n;
    while (behind >= (long)sizeof chunk) {
      behind -= sizeof chunk;
      if (SSL_write(ssl, chunk, sizeof chunk) <= 0) {
        fprintf(stderr, "stream write failed\n");
        exit(1);
      }
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: tlsload stream|handshakes|hold PORT ...\n");
    return 2;
  }
  port = atoi(argv[2]);
  ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  if (strcmp(argv[1], "stream") == 0 && argc >= 5) {
    int conns = atoi(argv[3]);
    double seconds = atof(argv[4]);
    pthread_t threads[conns];
    for (int i = 0; i < conns; i++) {
      pthread_create(&threads[i], NULL, streamer, NULL);
    }
    usleep(200000); /* the handshakes */
    long before = atomic_load(&echoed);
    double start = now();
    usleep((useconds_t)(seconds * 1e6));
    long bytes = atomic_load(&echoed) - before;
    double took = now() - start;
    printf("mode=stream conns=%d seconds=%.2f bytes=%ld mibps=%.1f\n", conns, took, bytes,
           bytes / took / 1048576.0);
    fflush(stdout);
    _exit(0);
  } else if (strcmp(argv[1], "handshakes") == 0) {
    double seconds = atof(argv[3]);
    double start = now();
    long count = 0;
    while (now() - start < seconds) {
      SSL *ssl = open_tls();
      ping(ssl);
      close_tls(ssl);
      count++;
    }
    printf("mode=handshakes count=%ld per_second=%.0f\n", count, count / (now() - start));
  } else if (strcmp(argv[1], "hold") == 0) {
    int n = atoi(argv[3]);
    SSL **held = calloc(n, sizeof *held);
    for (int i = 0; i < n; i++) {
      held[i] = open_tls();
      ping(held[i]);
    }
    printf("held %d\n", n);
    fflush(stdout);
    for (;;) {
      pause();
    }
  } else {
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
  }
  return 0;
}
