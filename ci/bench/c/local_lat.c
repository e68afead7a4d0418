/* local_lat with the calls of a zero-cost binding (see perf.h): REP binds
 * and echoes <roundtrip-count> messages through one zmq_msg_t
 * (zmq_msg_recv + zmq_msg_send), as libzmq's perf/local_lat.cpp. */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4) {
        printf ("usage: local_lat <bind-to> <message-size> "
                "<roundtrip-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t message_size = atoi (argv[2]);
    int roundtrip_count = atoi (argv[3]);

    void *ctx = perf_ctx ();
    void *s = zmq_socket (ctx, ZMQ_REP);
    if (!s)
        perf_fail ("zmq_socket");
    perf_options (s);
    if (zmq_bind (s, bind_to) != 0)
        perf_fail ("zmq_bind");

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        perf_fail ("zmq_msg_init");
    for (int i = 0; i != roundtrip_count; i++) {
        if (perf_recv (&msg, s) < 0)
            perf_fail ("zmq_recvmsg");
        if (zmq_msg_size (&msg) != message_size)
            perf_wrong_size ();
        if (zmq_msg_send (&msg, s, 0) < 0)
            perf_fail ("zmq_sendmsg");
    }
    if (zmq_msg_close (&msg) != 0)
        perf_fail ("zmq_msg_close");

    /* As the C tool: give the last reply time to leave. */
    zmq_sleep (1);

    perf_close (s, ctx);
    return 0;
}
