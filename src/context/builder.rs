//! [`ContextBuilder`]: every context option of libzmq 4.3, set before the
//! context starts.

use std::collections::BTreeSet;
use std::os::raw::c_int;
use std::time::Duration;

use crate::context::{sched, Context};
use crate::error::{Error, ErrorKind, Result};
use crate::raw::RawContext;
use crate::sys::ffi;

/// The thread name prefix as it will be handed to libzmq.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NamePrefix {
    Number(c_int),
    #[cfg(feature = "draft")]
    Text(String),
}

/// Configures a [`Context`] before it starts; made by
/// [`Context::builder`].
///
/// Every context option of libzmq 4.3 has a method here, named after the
/// option without its `ZMQ_` prefix. Options left alone keep libzmq's
/// defaults. Values are checked when [`build`](ContextBuilder::build) runs:
/// the first invalid one makes it fail with a typed [`Error`] naming the
/// option, and no context is created.
///
/// libzmq reads most of these options only once, when the first socket of
/// the context is created (that is when it starts its I/O threads and sizes
/// its socket table). `build` applies them all before that can happen, in
/// an order libzmq accepts. The few that also make sense later have
/// setters on [`Context`] itself.
///
/// ```
/// use zmq4::Context;
///
/// let ctx = Context::builder()
///     .io_threads(2)
///     .max_sockets(256)
///     .ipv6(true)
///     .build()?;
/// assert_eq!(ctx.io_threads()?, 2);
/// assert_eq!(ctx.max_sockets()?, 256);
/// assert!(ctx.ipv6()?);
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ContextBuilder {
    io_threads: Option<c_int>,
    max_sockets: Option<c_int>,
    ipv6: Option<bool>,
    blocky: Option<bool>,
    linger: Option<Option<Duration>>,
    max_msgsz: Option<c_int>,
    #[cfg(feature = "draft")]
    zero_copy_recv: Option<bool>,
    thread_sched_policy: Option<c_int>,
    thread_priority: Option<c_int>,
    thread_affinity: BTreeSet<c_int>,
    thread_name_prefix: Option<NamePrefix>,
    retry_eintr: bool,
    error: Option<Error>,
}

/// Converts a count or index to a C `int`, or says why it cannot be one.
fn to_c_int(option: &str, value: usize) -> Result<c_int> {
    c_int::try_from(value).map_err(|_| {
        Error::invalid(
            ErrorKind::InvalidArgument,
            format!("context option {option} = {value} is larger than a C int"),
        )
    })
}

impl ContextBuilder {
    /// A builder with every option at libzmq's default (same as
    /// [`Context::builder`]).
    pub fn new() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// Remembers the first invalid value; `build` reports it.
    fn fail(mut self, err: Error) -> Self {
        self.error.get_or_insert(err);
        self
    }

    /// The number of I/O threads (`ZMQ_IO_THREADS`, default 1).
    ///
    /// libzmq's rule of thumb is one thread per gigabyte of data in or out
    /// per second. `0` is valid when only
    /// `inproc://` is used: binding or connecting any other transport then
    /// fails with [`ErrorKind::TooManyOpen`] (`EMTHREAD`).
    ///
    /// Applied when the first socket is created, which starts the threads.
    /// libzmq aborts the process if the operating system refuses to start a
    /// thread, so keep this near the number of cores.
    #[doc(alias = "ZMQ_IO_THREADS")]
    pub fn io_threads(self, threads: usize) -> Self {
        match to_c_int("io_threads", threads) {
            Ok(n) => ContextBuilder {
                io_threads: Some(n),
                ..self
            },
            Err(err) => self.fail(err),
        }
    }

    /// The largest number of sockets the context may have open at once
    /// (`ZMQ_MAX_SOCKETS`, default 1023). Creating one more fails with
    /// [`ErrorKind::TooManyOpen`].
    ///
    /// Must be at least 1, and at most [`Context::socket_limit`] when libzmq
    /// polls with `select` (Windows) and so cannot watch more descriptors.
    /// libzmq sizes its socket table from this when the first socket is
    /// created, so memory grows with it.
    #[doc(alias = "ZMQ_MAX_SOCKETS")]
    pub fn max_sockets(self, sockets: usize) -> Self {
        if sockets == 0 {
            return self.fail(Error::invalid(
                ErrorKind::InvalidArgument,
                "context option max_sockets must be at least 1",
            ));
        }
        match to_c_int("max_sockets", sockets) {
            Ok(n) => ContextBuilder {
                max_sockets: Some(n),
                ..self
            },
            Err(err) => self.fail(err),
        }
    }

    /// Whether sockets made by the context use IPv6 (`ZMQ_IPV6`, default
    /// `false`). Each socket takes the value current when it is created,
    /// and can change it with its own `IPV6` option; see also
    /// [`Context::set_ipv6`].
    #[doc(alias = "ZMQ_IPV6")]
    pub fn ipv6(self, enabled: bool) -> Self {
        ContextBuilder {
            ipv6: Some(enabled),
            ..self
        }
    }

    /// Whether terminating the context waits for unsent messages
    /// (`ZMQ_BLOCKY`, default `true`).
    ///
    /// It sets the default `LINGER` of the sockets created afterwards:
    /// `true` means infinite linger (dropping the context blocks until
    /// every queued message is sent), `false` means a linger of zero (queued
    /// messages are dropped). A socket's own `LINGER` option overrides it.
    /// It replaces zmq4's [`DEFAULT_LINGER`](crate::DEFAULT_LINGER), unless
    /// [`linger`](ContextBuilder::linger) is given too. See also
    /// [`Context::set_blocky`].
    #[doc(alias = "ZMQ_BLOCKY")]
    pub fn blocky(self, blocky: bool) -> Self {
        ContextBuilder {
            blocky: Some(blocky),
            ..self
        }
    }

    /// The `LINGER` every socket of the context starts with (`None`: wait
    /// for ever, as libzmq's own default); [`DEFAULT_LINGER`](crate::DEFAULT_LINGER)
    /// unless set here or with [`blocky`](ContextBuilder::blocky). This
    /// bounds how long dropping the last socket and handle of a context
    /// (and the end of a program) waits for messages still queued.
    pub fn linger(self, linger: Option<Duration>) -> Self {
        ContextBuilder {
            linger: Some(linger),
            ..self
        }
    }

    /// The largest message size the context records (`ZMQ_MAX_MSGSZ`,
    /// default `i32::MAX`); larger values are clipped to `i32::MAX`.
    ///
    /// libzmq 4.3 stores this value and reports it back, but does not
    /// enforce it. To refuse large incoming messages, set the socket option
    /// `MAXMSGSIZE` instead.
    #[doc(alias = "ZMQ_MAX_MSGSZ")]
    pub fn max_msgsz(self, bytes: usize) -> Self {
        let bytes = c_int::try_from(bytes).unwrap_or(c_int::MAX);
        ContextBuilder {
            max_msgsz: Some(bytes),
            ..self
        }
    }

    /// Whether received messages may share libzmq's receive buffer instead
    /// of being copied out of it (`ZMQ_ZERO_COPY_RECV`, DRAFT, default
    /// `true`). Each socket takes the value current when it is created.
    #[cfg(feature = "draft")]
    #[doc(alias = "ZMQ_ZERO_COPY_RECV")]
    pub fn zero_copy_recv(self, enabled: bool) -> Self {
        ContextBuilder {
            zero_copy_recv: Some(enabled),
            ..self
        }
    }

    /// The scheduling policy of libzmq's background threads
    /// (`ZMQ_THREAD_SCHED_POLICY`): a `SCHED_*` value of the operating
    /// system, such as `libc::SCHED_FIFO`. Unset, the threads keep the
    /// policy of the thread that creates the context's first socket.
    ///
    /// The real-time policies (`SCHED_FIFO`, `SCHED_RR`) need a
    /// [`thread_priority`](ContextBuilder::thread_priority) and, usually,
    /// privileges (`CAP_SYS_NICE` on Linux). libzmq applies the policy in
    /// each thread it starts and aborts the process if the operating system
    /// refuses it, so on Linux [`build`](ContextBuilder::build) first tries
    /// the same settings on a short-lived thread and returns the refusal as
    /// an error ([`ErrorKind::PermissionDenied`] or
    /// [`ErrorKind::InvalidArgument`]). On other Unix systems no such check
    /// is made, and a refused setting still aborts the process when the
    /// first socket starts the threads. Windows builds of libzmq ignore the
    /// option.
    #[doc(alias = "ZMQ_THREAD_SCHED_POLICY")]
    pub fn thread_sched_policy(self, policy: i32) -> Self {
        if policy < 0 {
            return self.fail(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("context option thread_sched_policy = {policy} is negative"),
            ));
        }
        ContextBuilder {
            thread_sched_policy: Some(policy),
            ..self
        }
    }

    /// The priority of libzmq's background threads
    /// (`ZMQ_THREAD_PRIORITY`), as libzmq interprets it:
    ///
    /// - under a real-time policy (`SCHED_FIFO`, `SCHED_RR`) it is the
    ///   static priority, 1 to 99 on Linux;
    /// - under any other policy, any value above 0 asks libzmq to raise the
    ///   threads' scheduling priority to the maximum (nice value -20),
    ///   which needs privileges; 0 leaves it alone.
    ///
    /// Failures are checked as for
    /// [`thread_sched_policy`](ContextBuilder::thread_sched_policy).
    /// libzmq has no getter for this option.
    #[doc(alias = "ZMQ_THREAD_PRIORITY")]
    pub fn thread_priority(self, priority: i32) -> Self {
        if priority < 0 {
            return self.fail(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("context option thread_priority = {priority} is negative"),
            ));
        }
        ContextBuilder {
            thread_priority: Some(priority),
            ..self
        }
    }

    /// The CPUs libzmq's background threads may run on
    /// (`ZMQ_THREAD_AFFINITY_CPU_ADD` for each), replacing any set given
    /// before. An empty set (the default) leaves the threads free to run
    /// anywhere.
    ///
    /// On Linux, [`build`](ContextBuilder::build) checks that the operating
    /// system accepts the set (a CPU beyond `CPU_SETSIZE`, or no CPU this
    /// process may use, is an [`ErrorKind::InvalidArgument`] error; libzmq
    /// itself would abort). Elsewhere the set is not checked; Windows
    /// builds of libzmq ignore it. libzmq has no getter for it.
    #[doc(alias = "ZMQ_THREAD_AFFINITY_CPU_ADD")]
    #[doc(alias = "ZMQ_THREAD_AFFINITY_CPU_REMOVE")]
    pub fn thread_affinity(self, cpus: impl IntoIterator<Item = usize>) -> Self {
        let mut set = BTreeSet::new();
        for cpu in cpus {
            match to_c_int("thread_affinity", cpu) {
                Ok(cpu) => {
                    set.insert(cpu);
                }
                Err(err) => return self.fail(err),
            }
        }
        ContextBuilder {
            thread_affinity: set,
            ..self
        }
    }

    /// A number that names libzmq's background threads
    /// (`ZMQ_THREAD_NAME_PREFIX`): with prefix 7 they are called
    /// `7/ZMQbg/IO/0`, `7/ZMQbg/Reaper`, ... (cut to the 15 characters
    /// the operating system keeps), which tells the contexts of a process
    /// apart in `top -H` or a debugger.
    ///
    /// The stable API of libzmq 4.3 (`zmq_ctx_set`) only passes an `int`,
    /// so the prefix is a number; with the `draft` feature,
    /// `thread_name_prefix_str` sets any short text.
    #[doc(alias = "ZMQ_THREAD_NAME_PREFIX")]
    pub fn thread_name_prefix(self, prefix: i32) -> Self {
        ContextBuilder {
            thread_name_prefix: Some(NamePrefix::Number(prefix)),
            ..self
        }
    }

    /// A text that names libzmq's background threads
    /// (`ZMQ_THREAD_NAME_PREFIX` through the DRAFT `zmq_ctx_set_ext`):
    /// 1 to 16 bytes, without NUL.
    #[cfg(feature = "draft")]
    #[doc(alias = "ZMQ_THREAD_NAME_PREFIX")]
    #[doc(alias = "zmq_ctx_set_ext")]
    pub fn thread_name_prefix_str(self, prefix: &str) -> Self {
        if prefix.is_empty() || prefix.len() > 16 || prefix.contains('\0') {
            return self.fail(Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "context option thread_name_prefix {prefix:?} must be 1 to 16 bytes without NUL"
                ),
            ));
        }
        ContextBuilder {
            thread_name_prefix: Some(NamePrefix::Text(prefix.to_owned())),
            ..self
        }
    }

    /// Whether blocking calls on the context's sockets retry by themselves
    /// when a signal interrupts them (default `false`).
    ///
    /// When a signal arrives while a thread is blocked in libzmq (a
    /// receive, a send, a poll, terminating the context), the call returns
    /// `EINTR`:
    ///
    /// - `false` (the default): the call fails with
    ///   [`ErrorKind::Interrupted`]. The program sees the interruption and
    ///   can act on it, for example stop cleanly after Ctrl-C once its
    ///   signal handler has set a flag; it then calls again if it wants to
    ///   go on. libzmq's C API and cppzmq report it too.
    /// - `true`: the call is made again until it completes or fails
    ///   otherwise, so [`ErrorKind::Interrupted`] is never seen. A timeout
    ///   (`RCVTIMEO`, `SNDTIMEO`, a poll's) keeps its length: the call made
    ///   again waits for what is left of it, counted from the first
    ///   interruption, so signals that come more often than the timeout
    ///   cannot keep a call waiting past it (in all it waits less than
    ///   twice the timeout, and about the timeout under frequent
    ///   signals). This covers the socket's
    ///   own calls, [`Socket::poll`](crate::Socket::poll),
    ///   [`Poller::poll`](crate::Poller::poll) (when one of its sockets
    ///   belongs to such a context) and [`proxy`](crate::proxy()); the free
    ///   function [`poll`](crate::poll()) is given items, not a context,
    ///   and always reports the interruption.
    ///
    /// pebbe/zmq4 (Go) retries by default because the Go runtime interrupts
    /// threads with signals for its own preemption, so nearly every blocking
    /// call would fail spuriously; programs ported from it that rely on that
    /// can turn retrying on here. The Rust runtime sends no such signals,
    /// so the only interruptions are the program's own, and reporting them
    /// is the choice that hides none: a receive that retries keeps waiting
    /// after Ctrl-C until a message arrives, even though the signal
    /// handler has asked the program to stop.
    pub fn retry_on_interrupt(self, retry: bool) -> Self {
        ContextBuilder {
            retry_eintr: retry,
            ..self
        }
    }

    /// Creates the context and applies the options (`zmq_ctx_new`, then
    /// `zmq_ctx_set` for each option given).
    ///
    /// Fails with the first invalid value given to a setter, with libzmq's
    /// own refusal of a value (for example more sockets than
    /// [`Context::socket_limit`] on a `select` build), or, on Linux, with
    /// the operating system's refusal of the thread scheduling options.
    #[doc(alias = "zmq_ctx_new")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn build(self) -> Result<Context> {
        if let Some(err) = self.error {
            return Err(err);
        }
        // libzmq adds the two counts (plus 2) into an `int` when it starts.
        let io = i64::from(self.io_threads.unwrap_or(ffi::ZMQ_IO_THREADS_DFLT));
        let socks = i64::from(self.max_sockets.unwrap_or(ffi::ZMQ_MAX_SOCKETS_DFLT));
        if io + socks + 2 > i64::from(c_int::MAX) {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "context options io_threads = {io} and max_sockets = {socks} \
                     are too large together"
                ),
            ));
        }
        if self.thread_sched_policy.is_some()
            || self.thread_priority.is_some()
            || !self.thread_affinity.is_empty()
        {
            sched::check(
                self.thread_sched_policy,
                self.thread_priority,
                &self.thread_affinity,
            )?;
        }

        let ctx = Context::from_raw_context(RawContext::new()?, self.retry_eintr);
        let set = |option, name, value| ctx.set(option, name, value);
        // Sizes first: libzmq reads them when the first socket starts it,
        // which cannot happen before `build` returns.
        if let Some(n) = self.io_threads {
            set(ffi::ZMQ_IO_THREADS, "io_threads", n)?;
        }
        if let Some(n) = self.max_sockets {
            set(ffi::ZMQ_MAX_SOCKETS, "max_sockets", n).map_err(|err| {
                match ctx.socket_limit() {
                    Ok(limit) => err.with_detail(format!(
                        "context option max_sockets = {n} (the socket limit is {limit})"
                    )),
                    Err(_) => err,
                }
            })?;
        }
        // Defaults for the sockets created later.
        if let Some(on) = self.ipv6 {
            set(ffi::ZMQ_IPV6, "ipv6", on.into())?;
        }
        if let Some(on) = self.blocky {
            ctx.set_blocky(on)?;
        }
        if let Some(linger) = self.linger {
            ctx.set_linger(linger);
        }
        if let Some(n) = self.max_msgsz {
            set(ffi::ZMQ_MAX_MSGSZ, "max_msgsz", n)?;
        }
        #[cfg(feature = "draft")]
        if let Some(on) = self.zero_copy_recv {
            set(ffi::ZMQ_ZERO_COPY_RECV, "zero_copy_recv", on.into())?;
        }
        // Thread settings, used when the threads start.
        if let Some(policy) = self.thread_sched_policy {
            set(ffi::ZMQ_THREAD_SCHED_POLICY, "thread_sched_policy", policy)?;
        }
        if let Some(priority) = self.thread_priority {
            set(ffi::ZMQ_THREAD_PRIORITY, "thread_priority", priority)?;
        }
        for &cpu in &self.thread_affinity {
            set(ffi::ZMQ_THREAD_AFFINITY_CPU_ADD, "thread_affinity", cpu)?;
        }
        match self.thread_name_prefix {
            Some(NamePrefix::Number(n)) => {
                set(ffi::ZMQ_THREAD_NAME_PREFIX, "thread_name_prefix", n)?;
            }
            #[cfg(feature = "draft")]
            Some(NamePrefix::Text(text)) => {
                // libzmq reads a value of exactly `sizeof(int)` bytes as an
                // int: give a text of that length a NUL terminator, which
                // ends the name where the text ends.
                let mut bytes = text.clone().into_bytes();
                if bytes.len() == std::mem::size_of::<c_int>() {
                    bytes.push(0);
                }
                ctx.raw()
                    .and_then(|raw| Ok(raw.set_ext(ffi::ZMQ_THREAD_NAME_PREFIX, &bytes)?))
                    .map_err(|err| {
                        err.with_detail(format!("context option thread_name_prefix = {text:?}"))
                    })?;
            }
            None => {}
        }
        Ok(ctx)
    }
}
