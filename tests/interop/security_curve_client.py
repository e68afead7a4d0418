"""A pyzmq CURVE client: REQ to argv[1], with the server's public
certificate argv[2] and its own secret certificate argv[3], both read by
zmq.auth.load_certificate. Sends one request and prints the reply.
Every wait is bounded.
"""

import sys

import zmq
import zmq.auth

endpoint, server_file, client_file = sys.argv[1:4]
server_public, _ = zmq.auth.load_certificate(server_file)
client_public, client_secret = zmq.auth.load_certificate(client_file)
if client_secret is None:
    sys.exit("no secret key in %s" % client_file)

ctx = zmq.Context()
s = ctx.socket(zmq.REQ)
s.curve_serverkey = server_public
s.curve_publickey = client_public
s.curve_secretkey = client_secret
s.rcvtimeo = 20000
s.sndtimeo = 20000
s.linger = 0
try:
    s.connect(endpoint)
    s.send(b"hello from pyzmq")
    print("reply:", s.recv().decode(), flush=True)
finally:
    s.close()
    ctx.term()
