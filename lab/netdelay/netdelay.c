/*
 * netdelay: holds the packets of one NFQUEUE queue for a delay, then accepts them.
 *
 * The kernels this project is tested on have no tc netem, so a link's latency is made in user
 * space: iptables sends a link's packets to an NFQUEUE queue, this program takes each one and
 * gives its verdict (NF_ACCEPT) only once the packet is due, D ms +/- J ms (uniform) after it
 * arrived. Packets wait in a bounded min-heap keyed on their due time; one poll loop both reads
 * new packets and issues the verdicts that have come due, so a held packet never blocks the
 * queue. By default a packet is never released before one that arrived earlier (a link does not
 * reorder, and reordering would make TCP slow for reasons that are not latency); the bounds
 * D - J and D + J still hold for every packet. --reorder lets jitter reorder, as netem does.
 *
 * When the heap is full a packet is accepted at once and counted, rather than dropped: loss is
 * the job of iptables' statistic match, not of this program. The kernel's own queue is sized to
 * hold what the heap holds and is opened fail-open for the same reason.
 *
 * Prints "ready queue=N" on stdout once bound (start the iptables rule after that line); on
 * SIGTERM or SIGINT, or when stdin reaches end of file with --stdin-eof, it accepts whatever it
 * still holds, prints its counters to stdout and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <endian.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct held {
    int64_t due_ns;
    uint64_t seq; /* arrival order: breaks ties so equal due times leave in order */
    uint32_t id;
};

struct options {
    unsigned queue;
    int64_t delay_ns;
    int64_t jitter_ns;
    size_t max_packets;
    int reorder;
    int stdin_eof;
    uint64_t seed;
};

static struct {
    struct held *heap;
    size_t len, cap;
    uint64_t seq;
    int64_t last_due_ns;
    uint64_t rng;
    struct options opt;
    struct nfq_q_handle *qh;
    uint64_t delayed, overflowed, verdict_errors, recv_errors;
} st;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* xorshift64*: enough for spreading jitter, and reproducible from --seed */
static uint64_t next_random(void) {
    st.rng ^= st.rng >> 12;
    st.rng ^= st.rng << 25;
    st.rng ^= st.rng >> 27;
    return st.rng * 2685821657736338717ULL;
}

static int earlier(const struct held *a, const struct held *b) {
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void heap_push(struct held h) {
    size_t i = st.len++;
    st.heap[i] = h;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&st.heap[i], &st.heap[parent])) break;
        struct held t = st.heap[i];
        st.heap[i] = st.heap[parent];
        st.heap[parent] = t;
        i = parent;
    }
}

static struct held heap_pop(void) {
    struct held top = st.heap[0];
    st.heap[0] = st.heap[--st.len];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < st.len && earlier(&st.heap[l], &st.heap[m])) m = l;
        if (r < st.len && earlier(&st.heap[r], &st.heap[m])) m = r;
        if (m == i) break;
        struct held t = st.heap[i];
        st.heap[i] = st.heap[m];
        st.heap[m] = t;
        i = m;
    }
    return top;
}

static void accept_packet(uint32_t id) {
    if (nfq_set_verdict(st.qh, id, NF_ACCEPT, 0, NULL) < 0) st.verdict_errors++;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void)qh; (void)msg; (void)data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (ph == NULL) return 0;
    uint32_t id = be32toh(ph->packet_id);
    if (st.len >= st.cap) {
        st.overflowed++;
        accept_packet(id);
        return 0;
    }
    int64_t offset = 0;
    if (st.opt.jitter_ns > 0) {
        uint64_t span = (uint64_t)st.opt.jitter_ns * 2 + 1;
        offset = (int64_t)(next_random() % span) - st.opt.jitter_ns;
    }
    int64_t due = now_ns() + st.opt.delay_ns + offset;
    if (!st.opt.reorder && due < st.last_due_ns) due = st.last_due_ns;
    st.last_due_ns = due;
    heap_push((struct held){.due_ns = due, .seq = st.seq++, .id = id});
    st.delayed++;
    return 0;
}

static void release_due(int64_t now) {
    while (st.len > 0 && st.heap[0].due_ns <= now) accept_packet(heap_pop().id);
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: netdelay --queue N --delay MS [--jitter MS] [--max-packets N] [--reorder] [--seed S] [--stdin-eof]\n"
            "  holds each packet of NFQUEUE queue N for MS +/- jitter ms (uniform), then accepts it.\n"
            "  --max-packets: packets held at once (default 4096); beyond it, packets pass at once and are counted.\n"
            "  --reorder: let jitter reorder packets (default: never release a packet before an earlier one).\n"
            "  --stdin-eof: also stop when standard input closes (for a parent process that may die).\n");
}

static int parse_ms(const char *name, const char *text, int64_t *out_ns) {
    char *end;
    errno = 0;
    double ms = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(ms >= 0) || ms > 600000) {
        fprintf(stderr, "netdelay: --%s must be a number of milliseconds between 0 and 600000, got '%s'\n", name, text);
        return -1;
    }
    *out_ns = (int64_t)(ms * 1e6);
    return 0;
}

static int parse_count(const char *name, const char *text, unsigned long long max, unsigned long long *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v > max) {
        fprintf(stderr, "netdelay: --%s must be a whole number up to %llu, got '%s'\n", name, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o) {
    static const struct option longs[] = {
        {"queue", required_argument, 0, 'q'},   {"delay", required_argument, 0, 'd'},
        {"jitter", required_argument, 0, 'j'},  {"max-packets", required_argument, 0, 'm'},
        {"reorder", no_argument, 0, 'r'},       {"seed", required_argument, 0, 's'},
        {"stdin-eof", no_argument, 0, 'e'},     {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int have_queue = 0, have_delay = 0, c;
    unsigned long long v = 0;
    opterr = 0; /* our own one-line messages instead of getopt's */
    o->max_packets = 4096;
    o->seed = ((uint64_t)getpid() << 32) ^ (uint64_t)now_ns();
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'q':
            if (parse_count("queue", optarg, 65535, &v) < 0) return -1;
            o->queue = (unsigned)v;
            have_queue = 1;
            break;
        case 'd':
            if (parse_ms("delay", optarg, &o->delay_ns) < 0) return -1;
            have_delay = 1;
            break;
        case 'j':
            if (parse_ms("jitter", optarg, &o->jitter_ns) < 0) return -1;
            break;
        case 'm':
            if (parse_count("max-packets", optarg, 1000000, &v) < 0) return -1;
            if (v == 0) {
                fprintf(stderr, "netdelay: --max-packets must be at least 1\n");
                return -1;
            }
            o->max_packets = (size_t)v;
            break;
        case 'r': o->reorder = 1; break;
        case 's':
            if (parse_count("seed", optarg, ULLONG_MAX, &v) < 0) return -1;
            o->seed = v;
            break;
        case 'e': o->stdin_eof = 1; break;
        case 'h': usage(stdout); exit(0);
        default:
            fprintf(stderr, "netdelay: '%s' is not an option or lacks its value (netdelay --help)\n", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "netdelay: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!have_queue || !have_delay) {
        fprintf(stderr, "netdelay: --queue and --delay are required (netdelay --help)\n");
        return -1;
    }
    if (o->jitter_ns > o->delay_ns) {
        fprintf(stderr, "netdelay: --jitter must not exceed --delay (a packet cannot leave before it arrived)\n");
        return -1;
    }
    if (o->seed == 0) o->seed = 0x9E3779B97F4A7C15ULL; /* xorshift must not start at 0 */
    return 0;
}

int main(int argc, char **argv) {
    if (parse_args(argc, argv, &st.opt) < 0) return 2;
    st.rng = st.opt.seed;
    st.cap = st.opt.max_packets;
    st.heap = calloc(st.cap, sizeof *st.heap);
    if (st.heap == NULL) {
        fprintf(stderr, "netdelay: cannot allocate room for %zu packets\n", st.cap);
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct nfq_handle *h = nfq_open();
    if (h == NULL) {
        fprintf(stderr, "netdelay: cannot open nfnetlink (%s); run as root in the namespace\n", strerror(errno));
        return 1;
    }
    /* needed by kernels before 3.8 only; later ones answer with an error that means nothing */
    nfq_unbind_pf(h, AF_INET);
    nfq_bind_pf(h, AF_INET);
    nfq_unbind_pf(h, AF_INET6);
    nfq_bind_pf(h, AF_INET6);
    st.qh = nfq_create_queue(h, (uint16_t)st.opt.queue, on_packet, NULL);
    if (st.qh == NULL) {
        fprintf(stderr, "netdelay: cannot bind queue %u (%s); is another program bound to it?\n", st.opt.queue, strerror(errno));
        nfq_close(h);
        return 1;
    }
    if (nfq_set_mode(st.qh, NFQNL_COPY_META, 0) < 0) {
        fprintf(stderr, "netdelay: cannot set metadata-only copy mode (%s)\n", strerror(errno));
        nfq_destroy_queue(st.qh);
        nfq_close(h);
        return 1;
    }
    uint32_t kernel_max = st.cap > UINT32_MAX / 2 ? UINT32_MAX : (uint32_t)(st.cap * 2);
    nfq_set_queue_maxlen(st.qh, kernel_max);
    nfq_set_queue_flags(st.qh, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO);
    nfnl_rcvbufsiz(nfq_nfnlh(h), 8u << 20);
    int fd = nfq_fd(h);
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    printf("ready queue=%u delay_ms=%.3f jitter_ms=%.3f max_packets=%zu\n", st.opt.queue,
           st.opt.delay_ns / 1e6, st.opt.jitter_ns / 1e6, st.cap);
    fflush(stdout);

    static char buf[65536] __attribute__((aligned));
    struct pollfd fds[2] = {{.fd = fd, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
    nfds_t nfds = st.opt.stdin_eof ? 2 : 1;
    sigset_t none;
    sigemptyset(&none);
    while (!stop_requested) {
        struct timespec wait, *waitp = NULL;
        if (st.len > 0) {
            int64_t left = st.heap[0].due_ns - now_ns();
            if (left < 0) left = 0;
            wait.tv_sec = left / 1000000000LL;
            wait.tv_nsec = left % 1000000000LL;
            waitp = &wait;
        }
        int n = ppoll(fds, nfds, waitp, &none);
        if (n < 0 && errno != EINTR) {
            fprintf(stderr, "netdelay: poll failed: %s\n", strerror(errno));
            break;
        }
        if (n > 0 && (fds[0].revents & POLLIN)) {
            /* drain what is there now, without blocking, so verdicts are not late behind reads */
            for (;;) {
                ssize_t got = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (got < 0) {
                    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                    if (errno == ENOBUFS) { st.recv_errors++; continue; }
                    fprintf(stderr, "netdelay: recv failed: %s\n", strerror(errno));
                    stop_requested = 1;
                    break;
                }
                nfq_handle_packet(h, buf, (int)got);
            }
        }
        if (n > 0 && nfds == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char sink[256];
            ssize_t r = read(STDIN_FILENO, sink, sizeof sink);
            if (r <= 0) stop_requested = 1;
        }
        release_due(now_ns());
    }

    while (st.len > 0) accept_packet(heap_pop().id);
    printf("stopped delayed=%llu overflowed=%llu verdict_errors=%llu recv_errors=%llu\n",
           (unsigned long long)st.delayed, (unsigned long long)st.overflowed,
           (unsigned long long)st.verdict_errors, (unsigned long long)st.recv_errors);
    fflush(stdout);
    nfq_destroy_queue(st.qh);
    nfq_close(h);
    free(st.heap);
    return 0;
}
