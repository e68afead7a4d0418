//! The relay against plain sockets and an echo server: each fault does
//! what its documentation says.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use super::*;

/// An echo server on `listener`, one thread per connection.
fn echo_tcp() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 || conn.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("tcp://{addr}")
}

fn connect(relay: &Relay) -> TcpStream {
    let s = TcpStream::connect(relay.endpoint().strip_prefix("tcp://").unwrap()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn echo(s: &mut TcpStream, data: &[u8]) -> io::Result<Vec<u8>> {
    s.write_all(data)?;
    let mut got = vec![0u8; data.len()];
    s.read_exact(&mut got)?;
    Ok(got)
}

/// Reads with a short timeout: `None` when nothing came.
fn nothing_for(s: &mut TcpStream, d: Duration) -> bool {
    s.set_read_timeout(Some(d)).unwrap();
    let mut b = [0u8; 1];
    let r = s.read(&mut b);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    matches!(r, Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut)
}

#[test]
fn relay_faults_do_what_they_say() {
    let _serial = crate::watchdog::serial();
    let dir = crate::scenarios::TempDir::new();
    let relay = Relay::start(&echo_tcp(), dir.path());
    let mut s = connect(&relay);
    assert_eq!(echo(&mut s, b"hello").unwrap(), b"hello");

    // Delay: both ways.
    relay.set_delay(Duration::from_millis(50), Duration::from_millis(10));
    let t = Instant::now();
    assert_eq!(echo(&mut s, b"late").unwrap(), b"late");
    assert!(
        t.elapsed() >= Duration::from_millis(100),
        "delay: {:?}",
        t.elapsed()
    );
    relay.set_delay(Duration::ZERO, Duration::ZERO);

    // Bandwidth: 100 kB each way at 200 kB/s.
    relay.set_rate(Some(200_000));
    let data = vec![7u8; 100_000];
    let t = Instant::now();
    let writer = {
        let mut w = s.try_clone().unwrap();
        let data = data.clone();
        std::thread::spawn(move || w.write_all(&data).unwrap())
    };
    let mut got = vec![0u8; data.len()];
    s.read_exact(&mut got).unwrap();
    writer.join().unwrap();
    assert_eq!(got, data);
    assert!(
        t.elapsed() >= Duration::from_millis(350),
        "rate: {:?}",
        t.elapsed()
    );
    relay.set_rate(None);

    // Partition: nothing crosses, then everything does.
    relay.partition();
    s.write_all(b"held").unwrap();
    assert!(
        nothing_for(&mut s, Duration::from_millis(300)),
        "a partition let bytes through"
    );
    relay.heal();
    let mut got = [0u8; 4];
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"held");

    // Black hole: nothing, not even a FIN, for ever; new connections work.
    relay.blackhole();
    s.write_all(b"lost").unwrap();
    assert!(
        nothing_for(&mut s, Duration::from_millis(300)),
        "a black hole let bytes through"
    );
    let mut fresh = connect(&relay);
    assert_eq!(echo(&mut fresh, b"new").unwrap(), b"new");
    assert_eq!(relay.stats().blackholed, 1);

    // Drop: a FIN (EOF).
    relay.drop_all();
    let mut b = [0u8; 1];
    assert_eq!(
        fresh.read(&mut b).unwrap(),
        0,
        "drop_all must end the stream"
    );

    // Reset: an RST.
    let mut third = connect(&relay);
    assert_eq!(echo(&mut third, b"x").unwrap(), b"x");
    relay.reset_all();
    let err = third.read(&mut b).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    let stats = relay.stats();
    assert!(stats.accepted >= 3 && stats.broken >= 2, "{stats:?}");
}

#[test]
fn relay_carries_ipc_and_partitions_it() {
    let _serial = crate::watchdog::serial();
    let dir = crate::scenarios::TempDir::new();
    let path = dir.path().join("echo.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            while let Ok(n) = conn.read(&mut buf) {
                if n == 0 || conn.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    });
    let relay = Relay::start(&format!("ipc://{}", path.display()), dir.path());
    let mut s = UnixStream::connect(relay.endpoint().strip_prefix("ipc://").unwrap()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"ping").unwrap();
    let mut got = [0u8; 4];
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    relay.partition();
    s.write_all(b"pong").unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    assert!(s.read(&mut got).is_err(), "a partition let bytes through");
    relay.heal();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"pong");
    relay.reset_all();
    assert_eq!(
        s.read(&mut got).unwrap_or(0),
        0,
        "a reset ipc connection ends"
    );
}
