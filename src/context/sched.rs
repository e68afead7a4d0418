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
    use crate::raw::os;

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
        let (current, current_priority) = os::current_sched().map_err(Error::from_errno)?;
        let policy = policy.unwrap_or(current);
        let real_time = policy == libc::SCHED_FIFO || policy == libc::SCHED_RR;
        let sched_priority = match priority {
            _ if !real_time => 0,
            Some(priority) => priority,
            None => current_priority,
        };
        if let Err(rc) = os::set_sched(policy, sched_priority) {
            let what = format!("thread_sched_policy = {policy} with priority {sched_priority}");
            return Err(refused(rc, what));
        }
        // libzmq 4.3.5 moves to nice -20 for a priority above 0; earlier
        // 4.3 releases for any priority set (not -1, the default).
        let nice_from = if crate::capability::version() >= (4, 3, 5) {
            1
        } else {
            0
        };
        if let Some(priority) = priority.filter(|&p| p >= nice_from && !real_time) {
            // Linux keeps nice values per thread, so this only changes the
            // thread that is about to end.
            match os::nice(-20) {
                Err(errno) => {
                    return Err(refused(errno, format!("thread_priority = {priority}")));
                }
                // libzmq checks `nice(-20) != -1` without looking at errno.
                Ok(-1) => {
                    return Err(Error::invalid(
                        ErrorKind::NotSupported,
                        format!(
                            "thread_priority = {priority}: at this process's nice value \
                             (19), nice(-20) returns -1, which libzmq takes for a failure \
                             and aborts when starting its threads"
                        ),
                    ));
                }
                Ok(_) => {}
            }
        }
        if !cpus.is_empty() {
            let mut set = Vec::with_capacity(cpus.len());
            for &cpu in cpus {
                let cpu = usize::try_from(cpu).unwrap_or(usize::MAX);
                if cpu >= os::CPU_SET_SIZE {
                    return Err(Error::invalid(
                        ErrorKind::InvalidArgument,
                        format!(
                            "context option thread_affinity: CPU {cpu} is beyond \
                             the {} CPUs the system can name",
                            os::CPU_SET_SIZE
                        ),
                    ));
                }
                set.push(cpu);
            }
            if let Err(rc) = os::set_affinity(set) {
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
