"""A pyzmq CURVE server guarded by pyzmq's ThreadAuthenticator, with
certificates made by zmq.auth.create_certificates.

argv[1]: a directory. Writes there:
  public/server.key                    the server's public certificate
  private/{server,client,stranger}.key_secret
  allowed/client.key                   the only client the server allows
  endpoint                             the endpoint, once listening
Answers one request with "hello <User-Id>" (pyzmq's User-Id of a CURVE
client is the Z85 text of its key). Every wait is bounded.
"""

import os
import shutil
import sys

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator

base = sys.argv[1]
made = os.path.join(base, "made")
public = os.path.join(base, "public")
private = os.path.join(base, "private")
allowed = os.path.join(base, "allowed")
for d in (made, public, private, allowed):
    os.makedirs(d, exist_ok=True)

zmq.auth.create_certificates(made, "server")
zmq.auth.create_certificates(made, "client", metadata={"owner": "zmq4 test"})
zmq.auth.create_certificates(made, "stranger")
shutil.copy(os.path.join(made, "server.key"), public)
shutil.copy(os.path.join(made, "client.key"), allowed)
for name in ("server", "client", "stranger"):
    shutil.copy(os.path.join(made, name + ".key_secret"), private)

ctx = zmq.Context()
auth = ThreadAuthenticator(ctx)
auth.start()
auth.allow("127.0.0.1")
auth.configure_curve(domain="*", location=allowed)

server = ctx.socket(zmq.REP)
server_public, server_secret = zmq.auth.load_certificate(
    os.path.join(private, "server.key_secret")
)
server.curve_secretkey = server_secret
server.curve_publickey = server_public
server.curve_server = True
server.rcvtimeo = 20000
server.sndtimeo = 20000
server.linger = 2000
port = server.bind_to_random_port("tcp://127.0.0.1")

tmp = os.path.join(base, "endpoint.tmp")
with open(tmp, "w") as f:
    f.write("tcp://127.0.0.1:%d\n" % port)
os.replace(tmp, os.path.join(base, "endpoint"))

try:
    frame = server.recv(copy=False)
    user = frame.get("User-Id")
    print("request:", frame.bytes.decode(), "from", user, flush=True)
    server.send_string("hello %s" % user)
finally:
    server.close()
    auth.stop()
    ctx.term()
