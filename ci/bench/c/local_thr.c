/* local_thr with the calls of a zero-cost binding (see perf.h): PULL binds,
 * receives <message-count> messages into one reused zmq_msg_t with
 * zmq_msg_recv, prints the throughput as libzmq's perf/local_thr.cpp. */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4 && argc != 5) {
        printf ("usage: local_thr <bind-to> <message-size> <message-count> "
                "[<enable_curve>]\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t message_size = atoi (argv[2]);
    int message_count = atoi (argv[3]);
    int curve = argc >= 5 && atoi (argv[4]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (curve)
        perf_curve_server (s);
    if (zmq_bind (s, bind_to) != 0)
        perf_fail ("zmq_bind");

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail ("zmq_msg_init");
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

    double throughput = (double) message_count / (double) elapsed * 1000000;
    double megabits = (throughput * message_size * 8) / 1000000;
    printf ("message size: %d [B]\n", (int) message_size);
    printf ("message count: %d\n", (int) message_count);
    printf ("mean throughput: %d [msg/s]\n", (int) throughput);
    printf ("mean throughput: %.3f [Mb/s]\n", megabits);

    perf_close (s, ctx);
    return 0;
}
