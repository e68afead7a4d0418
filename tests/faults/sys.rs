//! The operating system's side of the faults: memory and descriptor
//! counts, signals, resource limits and network namespaces (Linux).

use std::io;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Whether this process runs under valgrind (its preload library is in
/// `LD_PRELOAD`), where everything is tens of times slower.
pub fn on_valgrind() -> bool {
    std::env::var("LD_PRELOAD").is_ok_and(|v| v.contains("vgpreload"))
}

/// How much longer than usual things may take here: 10 under valgrind,
/// 1 otherwise. Bounds on times are multiplied by it.
pub fn slack() -> u32 {
    if on_valgrind() {
        10
    } else {
        1
    }
}

/// How much the tests do: messages per run, reconnects, soak time.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Numbered messages per scenario run.
    pub messages: u64,
    /// Reconnects in the memory check.
    pub reconnects: usize,
    /// How long the soak runs.
    pub soak: Duration,
    /// Whether this is the full matrix (longer faults, every variant).
    pub full: bool,
}

impl Scale {
    /// The full matrix: 100,000 messages per run, 1,000 reconnects.
    pub fn full() -> Scale {
        Scale {
            messages: 100_000,
            reconnects: 1000,
            soak: Duration::from_secs(120),
            full: true,
        }
    }

    /// The short set of `cargo test`, smaller again under valgrind.
    pub fn short() -> Scale {
        if on_valgrind() {
            Scale {
                messages: 400,
                reconnects: 10,
                soak: Duration::from_secs(4),
                full: false,
            }
        } else {
            Scale {
                messages: 5_000,
                reconnects: 100,
                soak: Duration::from_secs(12),
                full: false,
            }
        }
    }
}

/// Resident memory of process `pid` (`None`: this one), in KiB.
pub fn rss_kib(pid: Option<u32>) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/statm"),
        None => "/proc/self/statm".to_owned(),
    };
    let statm = std::fs::read_to_string(path).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()? / 1024)
}

/// Open file descriptors of process `pid` (`None`: this one).
pub fn open_fds(pid: Option<u32>) -> Option<usize> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/fd"),
        None => "/proc/self/fd".to_owned(),
    };
    // The directory handle itself is one of them while it is read.
    let n = std::fs::read_dir(path).ok()?.count();
    Some(if pid.is_none() {
        n.saturating_sub(1)
    } else {
        n
    })
}

/// CPU time (user + system) process `pid` has used, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command (which may hold spaces), from field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Clock ticks per second, for [`cpu_ticks`].
pub fn ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions.
    u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap_or(100)
}

/// Sends `signal` to process `pid`.
pub fn kill(pid: u32, signal: c_int) -> io::Result<()> {
    let pid =
        libc::pid_t::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: kill has no memory preconditions.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Signals delivered to [`count_signal`] so far.
pub static SIGNALS: AtomicU64 = AtomicU64::new(0);

extern "C" fn count_signal(_: c_int) {
    SIGNALS.fetch_add(1, Ordering::Relaxed);
}

/// Installs a handler for `signal` that counts it, without `SA_RESTART`:
/// every blocking system call it interrupts fails with `EINTR`.
pub fn install_counting_handler(signal: c_int) {
    // SAFETY: a zeroed sigaction is valid; the handler only touches an
    // atomic, which is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = count_signal as extern "C" fn(c_int) as libc::sighandler_t;
        action.sa_flags = 0;
        libc::sigemptyset(&mut action.sa_mask);
        let rc = libc::sigaction(signal, &action, std::ptr::null_mut());
        assert_eq!(rc, 0, "sigaction: {}", io::Error::last_os_error());
    }
}

/// The calling thread's id, for [`signal_thread`].
pub fn this_thread() -> libc::pthread_t {
    // SAFETY: no preconditions.
    unsafe { libc::pthread_self() }
}

/// Sends `signal` to a thread of this process. The caller makes sure the
/// thread is still running (it must not have been joined).
pub fn signal_thread(thread: libc::pthread_t, signal: c_int) {
    // SAFETY: the caller keeps `thread` alive while it is signalled.
    unsafe { libc::pthread_kill(thread, signal) };
}

/// Limits this process to `n` open file descriptors (`RLIMIT_NOFILE`).
pub fn limit_fds(n: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: n as libc::rlim_t,
        rlim_max: n as libc::rlim_t,
    };
    // SAFETY: a valid rlimit, which setrlimit only reads.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Brings the loopback interface of this thread's network namespace up or
/// down. Down, every packet on it is dropped: a black hole at the IP level
/// for every connection over 127.0.0.1, which neither end is told about.
pub fn set_loopback(up: bool) -> io::Result<()> {
    // SAFETY: a datagram socket for the ioctl, closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let result = (|| {
        // SAFETY: a zeroed ifreq is valid; the name fits with its NUL.
        let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
        for (dst, src) in req.ifr_name.iter_mut().zip(b"lo\0") {
            *dst = *src as libc::c_char;
        }
        // SAFETY: SIOCGIFFLAGS fills `req`, a valid ifreq naming "lo".
        if unsafe { libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) } < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: the flags member is the one SIOCGIFFLAGS filled.
        let flags = unsafe { req.ifr_ifru.ifru_flags };
        let up_flag = libc::IFF_UP as libc::c_short;
        req.ifr_ifru.ifru_flags = if up {
            flags | up_flag
        } else {
            flags & !up_flag
        };
        // SAFETY: as above, with SIOCSIFFLAGS reading `req`.
        if unsafe { libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    })();
    // SAFETY: `fd` is ours and open.
    unsafe { libc::close(fd) };
    result
}
