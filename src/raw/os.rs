//! The operating-system calls the crate makes besides libzmq: the thread
//! scheduling settings that the context builder tries on a thread of its
//! own before libzmq applies them (Linux only). Each affects only the
//! calling thread.

#[cfg(target_os = "linux")]
mod linux {
    use std::os::raw::c_int;

    /// The calling thread's scheduling policy and priority
    /// (`pthread_getschedparam`); the error is the code it returned.
    pub(crate) fn current_sched() -> Result<(c_int, c_int), c_int> {
        let mut policy: c_int = 0;
        let mut param = libc::sched_param { sched_priority: 0 };
        // SAFETY: pthread_self has no preconditions; it names the calling
        // thread, and both out-pointers are to locals.
        let rc =
            unsafe { libc::pthread_getschedparam(libc::pthread_self(), &mut policy, &mut param) };
        if rc == 0 {
            Ok((policy, param.sched_priority))
        } else {
            Err(rc)
        }
    }

    /// Sets the calling thread's scheduling policy and priority
    /// (`pthread_setschedparam`); the error is the code it returned.
    pub(crate) fn set_sched(policy: c_int, priority: c_int) -> Result<(), c_int> {
        let param = libc::sched_param {
            sched_priority: priority,
        };
        // SAFETY: the calling thread, and a pointer to a local.
        let rc = unsafe { libc::pthread_setschedparam(libc::pthread_self(), policy, &param) };
        if rc == 0 {
            Ok(())
        } else {
            Err(rc)
        }
    }

    /// `nice(increment)` for the calling thread (Linux keeps nice values
    /// per thread). `Ok` with the new value, or the errno when it failed.
    /// nice() may return -1 as a value (from nice 19): that case is told
    /// apart by errno, which is cleared first.
    pub(crate) fn nice(increment: c_int) -> Result<c_int, c_int> {
        // SAFETY: __errno_location points at this thread's errno.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: nice has no preconditions.
        let value = unsafe { libc::nice(increment) };
        if value == -1 {
            // SAFETY: as above.
            let errno = unsafe { *libc::__errno_location() };
            if errno != 0 {
                return Err(errno);
            }
        }
        Ok(value)
    }

    /// How many CPUs a CPU set can name.
    pub(crate) const CPU_SET_SIZE: usize = libc::CPU_SETSIZE as usize;

    /// Pins the calling thread to `cpus`, each below [`CPU_SET_SIZE`]
    /// (others are refused with `EINVAL`); the error is the code
    /// `pthread_setaffinity_np` returned.
    pub(crate) fn set_affinity(cpus: impl IntoIterator<Item = usize>) -> Result<(), c_int> {
        // SAFETY: cpu_set_t is an array of integers; all zeroes is the
        // empty set (what CPU_ZERO makes).
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        for cpu in cpus {
            if cpu >= CPU_SET_SIZE {
                return Err(libc::EINVAL);
            }
            // SAFETY: `cpu` is below CPU_SETSIZE, inside the set.
            unsafe { libc::CPU_SET(cpu, &mut set) };
        }
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: the calling thread; `set` is a local of `size` bytes.
        let rc = unsafe { libc::pthread_setaffinity_np(libc::pthread_self(), size, &set) };
        if rc == 0 {
            Ok(())
        } else {
            Err(rc)
        }
    }
}

#[cfg(target_os = "linux")]
pub(crate) use linux::*;

/// Registers `f` to run when the process exits normally (`atexit`): after
/// `main` returns or `std::process::exit`. Whether it was registered.
pub(crate) fn at_exit(f: extern "C" fn()) -> bool {
    // SAFETY: atexit stores a function pointer, which lives for ever; the
    // C runtime calls it once, on the exiting thread. `f` must not unwind,
    // which its `extern "C"` type ensures (a panic in it aborts).
    unsafe { libc::atexit(f) == 0 }
}
