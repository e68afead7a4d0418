/* poll_cost with the calls of a zero-cost binding: a PULL socket with a
 * message waiting (never received, so every poll finds it at once) is
 * polled <poll-count> times for ZMQ_POLLIN by zmq_poll over one item, with
 * <timeout-ms> (-1: for ever), and each time the loop counts the item if
 * its revents say readable. zmq4's examples/perf/poll_cost.rs makes the
 * same calls through zmq4::poll, Poller::poll and Socket::poll, and prints
 * the same lines. */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc < 3 || argc > 4) {
        printf ("usage: poll_cost <poll-count> <timeout-ms> [poll]\n");
        return 1;
    }
    int count = atoi (argv[1]);
    long timeout = atol (argv[2]);

    void *ctx = perf_ctx ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    if (!pull)
        perf_fail ("zmq_socket");
    if (zmq_bind (pull, "inproc://poll_cost") != 0)
        perf_fail ("zmq_bind");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    if (!push)
        perf_fail ("zmq_socket");
    if (zmq_connect (push, "inproc://poll_cost") != 0)
        perf_fail ("zmq_connect");
    if (zmq_send (push, "ready", 5, 0) != 5)
        perf_fail ("zmq_send");

    printf ("poll count: %d\n", count);
    printf ("timeout: %ld [ms]\n", timeout);
    zmq_pollitem_t items[1] = {{pull, 0, ZMQ_POLLIN, 0}};
    long ready = 0;
    for (int i = 0; i != count; i++) {
        if (zmq_poll (items, 1, timeout) < 0)
            perf_fail ("zmq_poll");
        ready += (items[0].revents & ZMQ_POLLIN) != 0;
    }
    if (ready != count) {
        printf ("the socket was not ready\n");
        return 255;
    }
    printf ("ready: %ld\n", ready);
    int linger = 0;
    zmq_setsockopt (push, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_close (push) != 0 || zmq_close (pull) != 0)
        perf_fail ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        perf_fail ("zmq_ctx_term");
    return 0;
}
