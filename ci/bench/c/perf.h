/* What the same-calls loops share: the C tools' error lines and exits, and
 * the optional socket and context settings the benchmark scripts give
 * through the environment (none by default, so that a loop makes the C
 * tools' setup calls and no others).
 *
 * The loops (*.c beside this file) take the arguments of libzmq's perf
 * tools (perf/*.cpp) and print their lines, byte for byte, so that each
 * pairs with the C tools and with zmq4's ports (examples/perf/). Per
 * message they make exactly the libzmq calls that a binding with no cost
 * of its own makes:
 *
 *   sender    zmq_msg_init_size + zmq_msg_send; no zmq_msg_close after a
 *             successful send (libzmq has emptied the message)
 *   receiver  zmq_msg_recv into one zmq_msg_t, reused, + zmq_msg_size
 *   REQ/REP   zmq_msg_send + zmq_msg_recv (+ zmq_msg_size) of one reused
 *             zmq_msg_t
 *
 * where the C tools also close every sent message and go through the
 * deprecated zmq_sendmsg/zmq_recvmsg wrappers. */
#ifndef ZMQ4_BENCH_PERF_H
#define ZMQ4_BENCH_PERF_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#ifndef ZMQ_IN_BATCH_SIZE /* DRAFT API; refused by a libzmq built without it */
#define ZMQ_IN_BATCH_SIZE 101
#define ZMQ_OUT_BATCH_SIZE 102
#endif

/* `error in CALL: TEXT` and exit status 255 (the C tools' `return -1`). */
static void perf_fail (const char *call)
{
    printf ("error in %s: %s\n", call, zmq_strerror (errno));
    exit (255);
}

/* The inproc tools' worker thread: status 1 (C: `exit (1)`). */
static void perf_fail_worker (const char *call)
{
    printf ("error in %s: %s\n", call, zmq_strerror (errno));
    exit (1);
}

static void perf_wrong_size (void)
{
    printf ("message of incorrect size received\n");
    exit (255);
}

/* An integer setting from the environment, or -1 when unset. */
static int perf_env (const char *name)
{
    const char *v = getenv (name);
    return v && *v ? atoi (v) : -1;
}

/* The context, with BENCH_IO_THREADS I/O threads when set. */
static void *perf_ctx (void)
{
    void *ctx = zmq_init (1);
    if (!ctx)
        perf_fail ("zmq_init");
    int io = perf_env ("BENCH_IO_THREADS");
    if (io >= 0 && zmq_ctx_set (ctx, ZMQ_IO_THREADS, io) != 0)
        perf_fail ("zmq_ctx_set");
    return ctx;
}

static void perf_setopt (void *s, int option, const char *name)
{
    int v = perf_env (name);
    if (v >= 0 && zmq_setsockopt (s, option, &v, sizeof v) != 0)
        perf_fail ("zmq_setsockopt");
}

/* The settings of the environment, before bind/connect: BENCH_HWM (both
 * high-water marks), BENCH_SNDBUF, BENCH_RCVBUF (kernel buffers),
 * BENCH_IN_BATCH, BENCH_OUT_BATCH (ZMQ_IN/OUT_BATCH_SIZE, DRAFT). */
static void perf_options (void *s)
{
    perf_setopt (s, ZMQ_SNDHWM, "BENCH_HWM");
    perf_setopt (s, ZMQ_RCVHWM, "BENCH_HWM");
    perf_setopt (s, ZMQ_SNDBUF, "BENCH_SNDBUF");
    perf_setopt (s, ZMQ_RCVBUF, "BENCH_RCVBUF");
    perf_setopt (s, ZMQ_IN_BATCH_SIZE, "BENCH_IN_BATCH");
    perf_setopt (s, ZMQ_OUT_BATCH_SIZE, "BENCH_OUT_BATCH");
}

/* BENCH_SEND=send (the throughput senders) and BENCH_RECV=recv_into (the
 * throughput receivers): the copying calls, zmq_send of a buffer written
 * once and zmq_recv into a buffer of the message size, the same calls as
 * zmq4's send(&[u8]) and recv_into; by default, and for any other value,
 * the message calls above. */
static int perf_copying (const char *name, const char *value)
{
    const char *v = getenv (name);
    return v && strcmp (v, value) == 0;
}

/* BENCH_SPIN=1: the latency loops receive with ZMQ_DONTWAIT, again and
 * again until a message is there, instead of blocking: the receiving
 * thread never sleeps, so it is not woken through libzmq's mailbox after
 * the I/O thread has read the message (what a binding could offer to cut
 * the I/O-thread hop short, at the cost of a busy CPU). */
static int perf_spin = -1;

static int perf_recv (zmq_msg_t *msg, void *s)
{
    if (perf_spin < 0)
        perf_spin = perf_env ("BENCH_SPIN") > 0;
    if (!perf_spin)
        return zmq_msg_recv (msg, s, 0);
    int rc;
    while ((rc = zmq_msg_recv (msg, s, ZMQ_DONTWAIT)) < 0 && errno == EAGAIN)
        ;
    return rc;
}

/* The CURVE keys of libzmq's perf tools (arbitrary, but the two sides must
 * agree). */
static const char perf_server_pubkey[] = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
static const char perf_server_prvkey[] = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
static const char perf_client_pubkey[] = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
static const char perf_client_prvkey[] = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

static void perf_curve_server (void *s)
{
    int server = 1;
    if (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, perf_server_prvkey,
                        sizeof perf_server_prvkey)
          != 0
        || zmq_setsockopt (s, ZMQ_CURVE_SERVER, &server, sizeof server) != 0)
        perf_fail ("zmq_setsockoopt");
}

static void perf_curve_client (void *s)
{
    if (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, perf_client_prvkey,
                        sizeof perf_client_prvkey)
          != 0
        || zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, perf_client_pubkey,
                           sizeof perf_client_pubkey)
             != 0
        || zmq_setsockopt (s, ZMQ_CURVE_SERVERKEY, perf_server_pubkey,
                           sizeof perf_server_pubkey)
             != 0)
        perf_fail ("zmq_setsockoopt");
}

static void perf_close (void *s, void *ctx)
{
    if (zmq_close (s) != 0)
        perf_fail ("zmq_close");
    if (ctx && zmq_ctx_term (ctx) != 0)
        perf_fail ("zmq_ctx_term");
}

#endif
