//! A check of the thread scheduling options before libzmq sees them.
//!
//! libzmq applies `ZMQ_THREAD_SCHED_POLICY`, `ZMQ_THREAD_PRIORITY` and
//! `ZMQ_THREAD_AFFINITY_CPU_ADD` inside each background thread it starts,
//! and aborts the whole process (`posix_assert`) when the operating system
//! refuses them. On Linux we therefore try the same settings first on a
//! short-lived thread of our own, the way libzmq will apply them, and turn
//! a refusal into an error.

#[cfg(target_os = "linux")]
pub(super) use linux::check;
#[cfg(not(target_os = "linux"))]
pub(super) use other::check;

#[cfg(target_os = "linux")]
mod linux {
    use std::collections::BTreeSet;
    use std::os::raw::c_int;

    use crate::error::{Error, ErrorKind, Result};

    fn refused(errno: c_int, what: String) -> Error {
        let err = Error::from_errno(errno);
        let err = if err.kind() == ErrorKind::PermissionDenied {
            err
        } else {
            err.with_kind(ErrorKind::InvalidArgument)
        };
        err.with_detail(format!(
            "{what}: the operating system refuses it \
             (libzmq would abort when starting its threads)"
        ))
    }

    /// Mirrors `thread_t::applySchedulingParameters` of libzmq 4.3, on
    /// the calling thread.
    fn apply(policy: Option<c_int>, priority: Option<c_int>, cpus: &BTreeSet<c_int>) -> Result<()> {
        // SAFETY: pthread_self has no preconditions.
        let this = unsafe { libc::pthread_self() };
        let mut current: c_int = 0;
        let mut param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `this` is the calling thread; both pointers are to locals.
        let rc = unsafe { libc::pthread_getschedparam(this, &mut current, &mut param) };
        if rc != 0 {
            return Err(Error::from_errno(rc));
        }
        let policy = policy.unwrap_or(current);
        let real_time = policy == libc::SCHED_FIFO || policy == libc::SCHED_RR;
        if !real_time {
            param.sched_priority = 0;
        } else if let Some(priority) = priority {
            param.sched_priority = priority;
        }
        // SAFETY: `this` is the calling thread; `param` is a local.
        let rc = unsafe { libc::pthread_setschedparam(this, policy, &param) };
        if rc != 0 {
            let what = format!(
                "thread_sched_policy = {policy} with priority {}",
                param.sched_priority
            );
            return Err(refused(rc, what));
        }
        // libzmq 4.3.5 moves to nice -20 for a priority above 0; earlier
        // 4.3 releases for any priority set (not -1, the default).
        let nice_from = if crate::version() >= (4, 3, 5) { 1 } else { 0 };
        if let Some(priority) = priority.filter(|&p| p >= nice_from && !real_time) {
            // Linux keeps nice values per thread, so this only changes the
            // thread that is about to end. nice() returns the new value,
            // so -1 is also a success (from nice 19), told apart by errno.
            // SAFETY: __errno_location points at this thread's errno.
            unsafe { *libc::__errno_location() = 0 };
            // SAFETY: nice has no preconditions.
            if unsafe { libc::nice(-20) } == -1 {
                let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                if errno != 0 {
                    return Err(refused(errno, format!("thread_priority = {priority}")));
                }
                // libzmq checks `nice(-20) != -1` without looking at errno.
                return Err(Error::invalid(
                    ErrorKind::NotSupported,
                    format!(
                        "thread_priority = {priority}: at this process's nice value \
                         (19), nice(-20) returns -1, which libzmq takes for a failure \
                         and aborts when starting its threads"
                    ),
                ));
            }
        }
        if !cpus.is_empty() {
            // SAFETY: cpu_set_t is an array of integers; all zeroes is the
            // empty set (what CPU_ZERO makes).
            let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
            for &cpu in cpus {
                let cpu = usize::try_from(cpu).unwrap_or(usize::MAX);
                if cpu >= libc::CPU_SETSIZE as usize {
                    return Err(Error::invalid(
                        ErrorKind::InvalidArgument,
                        format!(
                            "context option thread_affinity: CPU {cpu} is beyond \
                             the {} CPUs the system can name",
                            libc::CPU_SETSIZE
                        ),
                    ));
                }
                // SAFETY: `cpu` is below CPU_SETSIZE, inside the set.
                unsafe { libc::CPU_SET(cpu, &mut set) };
            }
            let size = std::mem::size_of::<libc::cpu_set_t>();
            // SAFETY: `this` is the calling thread; `set` is a local of
            // `size` bytes.
            let rc = unsafe { libc::pthread_setaffinity_np(this, size, &set) };
            if rc != 0 {
                return Err(refused(rc, format!("thread_affinity = {cpus:?}")));
            }
        }
        Ok(())
    }

    pub(crate) fn check(
        policy: Option<c_int>,
        priority: Option<c_int>,
        cpus: &BTreeSet<c_int>,
    ) -> Result<()> {
        let cpus = cpus.clone();
        let probe = std::thread::Builder::new()
            .name("zmq4-sched-check".into())
            .spawn(move || apply(policy, priority, &cpus))
            .map_err(|err| {
                Error::from_errno(err.raw_os_error().unwrap_or(libc::EAGAIN))
                    .with_detail("starting a thread to check the scheduling options")
            })?;
        probe.join().unwrap_or_else(|_| {
            Err(Error::invalid(
                ErrorKind::Other,
                "checking the scheduling options failed",
            ))
        })
    }
}

#[cfg(not(target_os = "linux"))]
mod other {
    use std::collections::BTreeSet;
    use std::os::raw::c_int;

    use crate::error::Result;

    /// No check is made outside Linux (see `thread_sched_policy`).
    pub(crate) fn check(
        _policy: Option<c_int>,
        _priority: Option<c_int>,
        _cpus: &BTreeSet<c_int>,
    ) -> Result<()> {
        Ok(())
    }
}
