"""pyzmq versions of the example programs, for the interop tests.

Each role takes the same arguments as the Rust example of the same name
and prints the same lines, so a test can put either program on either side
of the wire:

    python examples.py hello_server --bind tcp://127.0.0.1:5555 --count 3
    python examples.py hello_client --connect tcp://127.0.0.1:5555 --count 3

Roles: hello_server, hello_client, pusher, puller, publisher, subscriber,
router_server, dealer_client. Every receive times out after 10 s (exit 1).
"""

import argparse
import sys

import zmq

TIMEOUT_MS = 10_000


def endpoint_socket(ctx, kind, args):
    sock = ctx.socket(kind)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    if getattr(args, "bind", None):
        sock.bind(args.bind)
        print(f"bound: {sock.getsockopt_string(zmq.LAST_ENDPOINT)}", flush=True)
    else:
        sock.connect(args.connect)
        print(f"connected: {args.connect}", flush=True)
    return sock


def say(prefix, text):
    print(f"{prefix}: {text}", flush=True)


def hello_server(ctx, args):
    sock = endpoint_socket(ctx, zmq.REP, args)
    served = 0
    while args.count == 0 or served < args.count:
        request = sock.recv()
        say("received", request.decode())
        reply = request if args.echo else b"World"
        sock.send(reply)
        say("sent", reply.decode())
        served += 1


def hello_client(ctx, args):
    sock = endpoint_socket(ctx, zmq.REQ, args)
    for _ in range(args.count):
        sock.send_string(args.message)
        say("sent", args.message)
        say("received", sock.recv_string())


def pusher(ctx, args):
    sock = ctx.socket(zmq.PUSH)
    sock.setsockopt(zmq.SNDHWM, args.sndhwm)
    sock.bind(args.bind)
    print(f"bound: {args.bind}", flush=True)
    for i in range(1, args.count + 1):
        sock.send_string(f"task {i}")
        say("sent", f"task {i}")
    sock.send_string("END")
    say("sent", "END")


def puller(ctx, args):
    sock = endpoint_socket(ctx, zmq.PULL, args)
    received = 0
    while args.count == 0 or received < args.count:
        text = sock.recv_string()
        received += 1
        say("received", text)
        if text == "END":
            break


def publisher(ctx, args):
    # An XPUB, so that the subscriptions can be awaited (see the Rust
    # publisher example: the slow joiner).
    sock = ctx.socket(zmq.XPUB)
    sock.setsockopt(zmq.XPUB_VERBOSE, 1)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.bind(args.bind)
    print(f"bound: {args.bind}", flush=True)
    joined = 0
    while joined < args.subscribers:
        event = sock.recv()
        if event[:1] == b"\x01":
            joined += 1
            print(f'subscribed: "{event[1:].decode()}"', flush=True)
    for i in range(1, args.count + 1):
        msg = f"{args.prefix}message {i}"
        sock.send_string(msg)
        say("sent", msg)
    sock.send_string(f"{args.prefix}END")
    say("sent", f"{args.prefix}END")


def subscriber(ctx, args):
    sock = endpoint_socket(ctx, zmq.SUB, args)
    sock.setsockopt_string(zmq.SUBSCRIBE, args.prefix)
    received = 0
    while args.count == 0 or received < args.count:
        body = sock.recv_string()[len(args.prefix):]
        received += 1
        say("received", body)
        if body == "END":
            break


def show(identity):
    if identity and all(0x21 <= b <= 0x7E for b in identity):
        return identity.decode()
    return identity.hex()


def router_server(ctx, args):
    sock = endpoint_socket(ctx, zmq.ROUTER, args)
    served = 0
    while args.count == 0 or served < args.count:
        identity, *rest = sock.recv_multipart()
        payload = rest[0] if rest else b""
        say(f"received from {show(identity)}", payload.decode())
        sock.send_multipart([identity, b"Hello", payload])
        say("sent", f"Hello | {payload.decode()}")
        served += 1


def dealer_client(ctx, args):
    sock = ctx.socket(zmq.DEALER)
    if args.identity:
        sock.setsockopt(zmq.ROUTING_ID, args.identity.encode())
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.connect(args.connect)
    print(f"connected: {args.connect}", flush=True)
    for i in range(1, args.count + 1):
        request = f"{args.message} {i}"
        sock.send_string(request)
        say("sent", request)
        frames = sock.recv_multipart()
        say("received", " | ".join(f.decode() for f in frames))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    roles = parser.add_subparsers(dest="role", required=True)

    def role(name, func, defaults):
        p = roles.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument("--bind")
        p.add_argument("--connect")
        p.add_argument("--count", type=int, default=defaults.get("count", 10))
        return p

    role("hello_server", hello_server, {"count": 0}).add_argument("--echo", action="store_true")
    role("hello_client", hello_client, {}).add_argument("--message", default="Hello")
    role("pusher", pusher, {}).add_argument("--sndhwm", type=int, default=110)
    role("puller", puller, {"count": 0})
    p = role("publisher", publisher, {})
    p.add_argument("--prefix", default="news ")
    p.add_argument("--subscribers", type=int, default=1)
    role("subscriber", subscriber, {"count": 0}).add_argument("--prefix", default="news ")
    role("router_server", router_server, {"count": 0})
    p = role("dealer_client", dealer_client, {})
    p.add_argument("--message", default="request")
    p.add_argument("--identity")

    args = parser.parse_args()
    ctx = zmq.Context()
    try:
        args.func(ctx, args)
    except zmq.Again:
        print(f"{args.role}: timed out waiting for a message", file=sys.stderr)
        ctx.destroy(linger=0)
        return 1
    ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
