/* remote_thr with the calls of a zero-cost binding (see perf.h): PUSH
 * connects and sends <message-count> messages, each zmq_msg_init_size +
 * zmq_msg_send and no close after the send, as libzmq's
 * perf/remote_thr.cpp (which also closes each one). */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4 && argc != 5) {
        printf ("usage: remote_thr <connect-to> <message-size> "
                "<message-count> [<enable_curve>]\n");
        return 1;
    }
    const char *connect_to = argv[1];
    int message_size = atoi (argv[2]);
    int message_count = atoi (argv[3]);
    int curve = argc >= 5 && atoi (argv[4]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (curve)
        perf_curve_client (s);
    if (zmq_connect (s, connect_to) != 0)
        perf_fail ("zmq_connect");

    zmq_msg_t msg;
    if (perf_copying ("BENCH_SEND", "send")) {
        void *data = calloc (message_size ? message_size : 1, 1);
        for (int i = 0; i != message_count; i++)
            if (zmq_send (s, data, message_size, 0) < 0)
                perf_fail ("zmq_send");
        free (data);
    } else if (perf_copying ("BENCH_SEND", "send_new")) {
        /* A message built and sent in place by a writer of its content,
         * zeroed first as zmq4's send_new zeroes it. */
        for (int i = 0; i != message_count; i++) {
            if (zmq_msg_init_size (&msg, message_size) != 0)
                perf_fail ("zmq_msg_init_size");
            if (message_size != 0)
                memset (zmq_msg_data (&msg), 0, message_size);
            if (zmq_msg_send (&msg, s, 0) < 0)
                perf_fail ("zmq_sendmsg");
        }
    } else
        for (int i = 0; i != message_count; i++) {
            /* As the C tool: the content is allocated and not written. */
            if (zmq_msg_init_size (&msg, message_size) != 0)
                perf_fail ("zmq_msg_init_size");
            if (zmq_msg_send (&msg, s, 0) < 0)
                perf_fail ("zmq_sendmsg");
        }

    perf_close (s, ctx);
    return 0;
}
