/* remote_lat with the calls of a zero-cost binding (see perf.h): REQ
 * connects, sends and receives <roundtrip-count> times through one zmq_msg_t
 * (zmq_msg_send + zmq_msg_recv), prints the average latency (half a round
 * trip) as libzmq's perf/remote_lat.cpp. */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4) {
        printf ("usage: remote_lat <connect-to> <message-size> "
                "<roundtrip-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    size_t message_size = atoi (argv[2]);
    int roundtrip_count = atoi (argv[3]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_REQ);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (zmq_connect (s, connect_to) != 0)
        perf_fail ("zmq_connect");

    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, message_size) != 0)
        perf_fail ("zmq_msg_init_size");
    memset (zmq_msg_data (&msg), 0, message_size);

    void *watch = zmq_stopwatch_start ();
    for (int i = 0; i != roundtrip_count; i++) {
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_sendmsg");
        if (perf_recv (&msg, s) < 0)
            perf_fail ("zmq_recvmsg");
        if (zmq_msg_size (&msg) != message_size)
            perf_wrong_size ();
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    if (zmq_msg_close (&msg) != 0)
        perf_fail ("zmq_msg_close");

    double latency = (double) elapsed / (roundtrip_count * 2);
    printf ("message size: %d [B]\n", (int) message_size);
    printf ("roundtrip count: %d\n", (int) roundtrip_count);
    printf ("average latency: %.3f [us]\n", latency);

    perf_close (s, ctx);
    return 0;
}
