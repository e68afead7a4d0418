/* inproc_lat with the calls of a zero-cost binding (see perf.h): the main
 * thread's REQ sends <roundtrip-count> requests over inproc to a worker
 * thread's REP, which echoes them; both through one zmq_msg_t each
 * (zmq_msg_send + zmq_msg_recv). Prints the average latency (half a round
 * trip) as libzmq's perf/inproc_lat.cpp. */
#include <pthread.h>

#include "perf.h"

static size_t message_size;
static int roundtrip_count;

static void *worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_REP);
    if (!s)
        perf_fail_worker ("zmq_socket");
    perf_options (s);
    if (zmq_connect (s, "inproc://lat_test") != 0)
        perf_fail_worker ("zmq_connect");

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail_worker ("zmq_msg_init");
    for (int i = 0; i != roundtrip_count; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            perf_fail_worker ("zmq_recvmsg");
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail_worker ("zmq_sendmsg");
    }
    if (zmq_msg_close (&msg) != 0)
        perf_fail_worker ("zmq_msg_close");
    if (zmq_close (s) != 0)
        perf_fail_worker ("zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 3) {
        printf ("usage: inproc_lat <message-size> <roundtrip-count>\n");
        return 1;
    }
    message_size = atoi (argv[1]);
    roundtrip_count = atoi (argv[2]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_REQ);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (zmq_bind (s, "inproc://lat_test") != 0)
        perf_fail ("zmq_bind");

    pthread_t local_thread;
    int rc = pthread_create (&local_thread, NULL, worker, ctx);
    if (rc != 0) {
        printf ("error in pthread_create: %s\n", zmq_strerror (rc));
        return -1;
    }

    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, message_size) != 0)
        perf_fail ("zmq_msg_init_size");
    memset (zmq_msg_data (&msg), 0, message_size);

    printf ("message size: %d [B]\n", (int) message_size);
    printf ("roundtrip count: %d\n", (int) roundtrip_count);

    void *watch = zmq_stopwatch_start ();
    for (int i = 0; i != roundtrip_count; i++) {
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_sendmsg");
        if (zmq_msg_recv (&msg, s, 0) < 0)
            perf_fail ("zmq_recvmsg");
        if (zmq_msg_size (&msg) != message_size)
            perf_wrong_size ();
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    if (zmq_msg_close (&msg) != 0)
        perf_fail ("zmq_msg_close");

    double latency = (double) elapsed / (roundtrip_count * 2);

    rc = pthread_join (local_thread, NULL);
    if (rc != 0) {
        printf ("error in pthread_join: %s\n", zmq_strerror (rc));
        return -1;
    }
    printf ("average latency: %.3f [us]\n", latency);

    perf_close (s, ctx);
    return 0;
}
