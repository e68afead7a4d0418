// JeroMQ versions of four example programs, for the interop tests: JeroMQ
// is a Java implementation of the ZeroMQ wire protocol, independent of
// libzmq. Each role takes the same arguments as the Rust example of the
// same name and prints the same lines:
//
//   java -cp jeromq.jar:. ExamplePeer hello_server --bind tcp://127.0.0.1:5555 --count 3
//
// Roles: hello_server, hello_client, publisher, subscriber. Every receive
// times out after 10 s (exit 1).

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.zeromq.ZMQ;

public final class ExamplePeer {
    private static final int TIMEOUT_MS = 10_000;

    private ExamplePeer() {}

    public static void main(String[] argv) {
        if (argv.length == 0) {
            System.err.println("usage: ExamplePeer ROLE [--name value]...");
            System.exit(2);
        }
        String role = argv[0];
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            if (argv[i].equals("--echo")) {
                args.put("--echo", "");
            } else if (i + 1 < argv.length) {
                args.put(argv[i], argv[++i]);
            } else {
                System.err.println("missing value for " + argv[i]);
                System.exit(2);
            }
        }
        ZMQ.Context ctx = ZMQ.context(1);
        int rc;
        try {
            switch (role) {
                case "hello_server": rc = helloServer(ctx, args); break;
                case "hello_client": rc = helloClient(ctx, args); break;
                case "publisher": rc = publisher(ctx, args); break;
                case "subscriber": rc = subscriber(ctx, args); break;
                default:
                    System.err.println("unknown role " + role);
                    rc = 2;
            }
        } finally {
            ctx.term();
        }
        System.exit(rc);
    }

    private static int count(Map<String, String> args, int fallback) {
        return Integer.parseInt(args.getOrDefault("--count", Integer.toString(fallback)));
    }

    private static ZMQ.Socket socket(ZMQ.Context ctx, int type, Map<String, String> args) {
        ZMQ.Socket sock = ctx.socket(type);
        sock.setReceiveTimeOut(TIMEOUT_MS);
        sock.setLinger(1000);
        if (args.containsKey("--bind")) {
            sock.bind(args.get("--bind"));
            System.out.println("bound: " + args.get("--bind"));
        } else {
            sock.connect(args.get("--connect"));
            System.out.println("connected: " + args.get("--connect"));
        }
        return sock;
    }

    private static int timedOut(ZMQ.Socket sock) {
        System.err.println("timed out waiting for a message");
        sock.close();
        return 1;
    }

    private static int helloServer(ZMQ.Context ctx, Map<String, String> args) {
        ZMQ.Socket sock = socket(ctx, ZMQ.REP, args);
        int count = count(args, 0);
        for (int served = 0; count == 0 || served < count; served++) {
            String request = sock.recvStr();
            if (request == null) {
                return timedOut(sock);
            }
            System.out.println("received: " + request);
            String reply = args.containsKey("--echo") ? request : "World";
            sock.send(reply);
            System.out.println("sent: " + reply);
        }
        sock.close();
        return 0;
    }

    private static int helloClient(ZMQ.Context ctx, Map<String, String> args) {
        ZMQ.Socket sock = socket(ctx, ZMQ.REQ, args);
        String message = args.getOrDefault("--message", "Hello");
        int count = count(args, 10);
        for (int i = 0; i < count; i++) {
            sock.send(message);
            System.out.println("sent: " + message);
            String reply = sock.recvStr();
            if (reply == null) {
                return timedOut(sock);
            }
            System.out.println("received: " + reply);
        }
        sock.close();
        return 0;
    }

    private static int publisher(ZMQ.Context ctx, Map<String, String> args) {
        // An XPUB, so that the subscriptions can be awaited (see the Rust
        // publisher example: the slow joiner).
        ZMQ.Socket sock = ctx.socket(ZMQ.XPUB);
        sock.setXpubVerbose(true);
        sock.setReceiveTimeOut(TIMEOUT_MS);
        sock.setLinger(1000);
        sock.bind(args.get("--bind"));
        System.out.println("bound: " + args.get("--bind"));
        String prefix = args.getOrDefault("--prefix", "news ");
        int subscribers = Integer.parseInt(args.getOrDefault("--subscribers", "1"));
        for (int joined = 0; joined < subscribers; ) {
            byte[] event = sock.recv();
            if (event == null) {
                return timedOut(sock);
            }
            if (event.length > 0 && event[0] == 1) {
                joined++;
                String topic = new String(event, 1, event.length - 1, StandardCharsets.UTF_8);
                System.out.println("subscribed: \"" + topic + "\"");
            }
        }
        int count = count(args, 10);
        for (int i = 1; i <= count; i++) {
            String msg = prefix + "message " + i;
            sock.send(msg);
            System.out.println("sent: " + msg);
        }
        sock.send(prefix + "END");
        System.out.println("sent: " + prefix + "END");
        sock.close();
        return 0;
    }

    private static int subscriber(ZMQ.Context ctx, Map<String, String> args) {
        ZMQ.Socket sock = socket(ctx, ZMQ.SUB, args);
        String prefix = args.getOrDefault("--prefix", "news ");
        sock.subscribe(prefix.getBytes(StandardCharsets.UTF_8));
        int count = count(args, 0);
        for (int received = 0; count == 0 || received < count; received++) {
            String msg = sock.recvStr();
            if (msg == null) {
                return timedOut(sock);
            }
            String body = msg.substring(prefix.length());
            System.out.println("received: " + body);
            if (body.equals("END")) {
                break;
            }
        }
        sock.close();
        return 0;
    }
}
