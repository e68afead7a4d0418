/* inproc_thr with the calls of a zero-cost binding (see perf.h): a worker
 * thread's PUSH sends <message-count> messages (zmq_msg_init_size +
 * zmq_msg_send, no close after the send) over inproc to the main thread's
 * PULL, which receives them into one reused zmq_msg_t with zmq_msg_recv and
 * prints the throughput as libzmq's perf/inproc_thr.cpp. */
#include <pthread.h>

#include "perf.h"

static size_t message_size;
static int message_count;

static void *worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    if (!s)
        perf_fail_worker ("zmq_socket");
    perf_options (s);
    if (zmq_connect (s, "inproc://thr_test") != 0)
        perf_fail_worker ("zmq_connect");

    zmq_msg_t msg;
    if (perf_copying ("BENCH_SEND", "send")) {
        void *data = calloc (message_size ? message_size : 1, 1);
        for (int i = 0; i != message_count; i++)
            if (zmq_send (s, data, message_size, 0) < 0)
                perf_fail_worker ("zmq_send");
        free (data);
    } else if (perf_copying ("BENCH_SEND", "send_new")) {
        /* A message built and sent in place by a writer of its content,
         * zeroed first as zmq4's send_new zeroes it. */
        for (int i = 0; i != message_count; i++) {
            if (zmq_msg_init_size (&msg, message_size) != 0)
                perf_fail_worker ("zmq_msg_init_size");
            if (message_size != 0)
                memset (zmq_msg_data (&msg), 0, message_size);
            if (zmq_msg_send (&msg, s, 0) < 0)
                perf_fail_worker ("zmq_sendmsg");
        }
    } else
        for (int i = 0; i != message_count; i++) {
            if (zmq_msg_init_size (&msg, message_size) != 0)
                perf_fail_worker ("zmq_msg_init_size");
            if (zmq_msg_send (&msg, s, 0) < 0)
                perf_fail_worker ("zmq_sendmsg");
        }
    if (zmq_close (s) != 0)
        perf_fail_worker ("zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 3) {
        printf ("usage: inproc_thr <message-size> <message-count>\n");
        return 1;
    }
    message_size = atoi (argv[1]);
    message_count = atoi (argv[2]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (zmq_bind (s, "inproc://thr_test") != 0)
        perf_fail ("zmq_bind");

    pthread_t local_thread;
    int rc = pthread_create (&local_thread, NULL, worker, ctx);
    if (rc != 0) {
        printf ("error in pthread_create: %s\n", zmq_strerror (rc));
        return -1;
    }

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail ("zmq_msg_init");

    printf ("message size: %d [B]\n", (int) message_size);
    printf ("message count: %d\n", (int) message_count);

    if (zmq_msg_recv (&msg, s, 0) < 0)
        perf_fail ("zmq_recvmsg");
    if (zmq_msg_size (&msg) != message_size)
        perf_wrong_size ();

    void *watch = zmq_stopwatch_start ();
    if (perf_copying ("BENCH_RECV", "recv_into")) {
        void *buf = malloc (message_size ? message_size : 1);
        for (int i = 0; i != message_count - 1; i++) {
            int n = zmq_recv (s, buf, message_size, 0);
            if (n < 0)
                perf_fail ("zmq_recv");
            if ((size_t) n != message_size)
                perf_wrong_size ();
        }
        free (buf);
    } else
        for (int i = 0; i != message_count - 1; i++) {
            if (zmq_msg_recv (&msg, s, 0) < 0)
                perf_fail ("zmq_recvmsg");
            if (zmq_msg_size (&msg) != message_size)
                perf_wrong_size ();
        }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    if (elapsed == 0)
        elapsed = 1;
    if (zmq_msg_close (&msg) != 0)
        perf_fail ("zmq_msg_close");

    rc = pthread_join (local_thread, NULL);
    if (rc != 0) {
        printf ("error in pthread_join: %s\n", zmq_strerror (rc));
        return -1;
    }
    perf_close (s, ctx);

    /* As the C tool: the rate is truncated before the megabits. */
    unsigned long throughput =
      (unsigned long) ((double) message_count / (double) elapsed * 1000000);
    double megabits = (double) (throughput * message_size * 8) / 1000000;
    printf ("mean throughput: %d [msg/s]\n", (int) throughput);
    printf ("mean throughput: %.3f [Mb/s]\n", megabits);
    return 0;
}
