#![doc = include_str!("../../docs/securing.md")]

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::socket::{Socket, SocketType};
use crate::sys::{ffi, RawSocket};
use crate::SendFlags;

mod cert;
mod handler;
mod policy;

pub use cert::Certificate;
pub use policy::{Credentials, Policy, ZapDecision, ZapRequest};

/// The endpoint libzmq sends ZAP requests to, in each context.
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// The domain name whose [`Policy`] applies to every domain without one
/// of its own.
pub const ANY_DOMAIN: &str = handler::ANY_DOMAIN;

/// The contexts (by handle) with a running authenticator, and the
/// authenticator's id.
fn running() -> MutexGuard<'static, Vec<(usize, u64)>> {
    static RUNNING: Mutex<Vec<(usize, u64)>> = Mutex::new(Vec::new());
    RUNNING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether an [`Authenticator`] is running in `ctx`.
pub(crate) fn running_in(ctx: &Context) -> bool {
    let key = ctx.as_raw() as usize;
    running().iter().any(|(c, _)| *c == key)
}

/// A ZAP handler (ZeroMQ RFC 27): decides, for every server socket of its
/// context that uses PLAIN or CURVE (or NULL with a ZAP domain), which
/// clients may connect.
///
/// It binds `inproc://zeromq.zap.01` in the context and answers on a
/// thread of its own from [`new`](Authenticator::new) until it is dropped;
/// dropping it stops the thread and waits for it, and the endpoint is
/// free again once the drop returns. A context has at most
/// one: a second one is an error of kind [`ErrorKind::AddressInUse`].
///
/// Keep it alive as long as the server sockets it guards: once it is gone,
/// libzmq lets every CURVE or PLAIN client in again (see the module docs).
///
/// Requests are answered one at a time, so a [callback](Policy::callback)
/// should decide quickly: handshakes wait for it, and dropping the
/// authenticator waits for the answer under way. A leaked authenticator
/// (`std::mem::forget`) keeps answering; like a leaked socket, it then
/// keeps its context from terminating (a [shutdown](Context::shutdown)
/// still stops its thread).
///
/// ```
/// use zmq4::auth::{Authenticator, Policy};
/// use zmq4::{Context, SendFlags, RecvFlags, SocketType};
///
/// let ctx = Context::new()?;
/// let auth = Authenticator::new(&ctx)?;
/// auth.set_policy("", Policy::new().plain_users([("admin", "secret")]));
///
/// let server = ctx.socket(SocketType::Pull)?;
/// server.make_plain_server("")?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let client = ctx.socket(SocketType::Push)?;
/// client.make_plain_client("admin", "secret")?;
/// client.connect(&server.last_endpoint()?)?;
///
/// client.send("hello", SendFlags::empty())?;
/// let msg = server.recv_msg(RecvFlags::empty())?;
/// assert_eq!(msg.user_id(), Some("admin"));
/// # Ok::<(), zmq4::Error>(())
/// ```
pub struct Authenticator<'ctx> {
    ctx: &'ctx Context,
    control: Socket<'ctx>,
    policies: handler::Policies,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Authenticator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let policies = self.policies.read().unwrap_or_else(|p| p.into_inner());
        f.debug_struct("Authenticator")
            .field("context", &self.ctx.as_raw())
            .field("policies", &*policies)
            .finish()
    }
}

impl<'ctx> Authenticator<'ctx> {
    /// Starts an authenticator in `ctx`, with no policy: until
    /// [`set_policy`](Authenticator::set_policy) says otherwise, every
    /// client that reaches it is kept out (ZAP status 400).
    ///
    /// Fails with [`ErrorKind::AddressInUse`] when another ZAP handler is
    /// bound in the context (an `Authenticator` or a handler of the
    /// program's own).
    pub fn new(ctx: &'ctx Context) -> Result<Authenticator<'ctx>> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let zap = RawSocket::new(&ctx.raw, ffi::ZMQ_REP)?;
        zap.set_int(ffi::ZMQ_LINGER, 0)?;
        bind_zap(ctx, &zap)?;

        let control_endpoint = crate::socket::private_inproc("zap-control");
        let thread_side = RawSocket::new(&ctx.raw, ffi::ZMQ_PAIR)?;
        thread_side.set_int(ffi::ZMQ_LINGER, 0)?;
        let c_endpoint = crate::socket::endpoint_cstring(&control_endpoint)?;
        thread_side.bind(&c_endpoint)?;
        let control = ctx.socket(SocketType::Pair)?;
        control.set_linger(Some(Duration::ZERO))?;
        control.set_sndtimeo(Some(Duration::from_secs(1)))?;
        control.connect(&control_endpoint)?;

        let policies: handler::Policies = Arc::new(RwLock::new(HashMap::new()));
        let key = ctx.as_raw() as usize;
        running().push((key, id));
        let shared = Arc::clone(&policies);
        let spawned = std::thread::Builder::new()
            .name("zmq4-zap".to_owned())
            .spawn(move || {
                handler::run(zap, thread_side, shared, move || {
                    running().retain(|&(c, i)| !(c == key && i == id));
                })
            });
        let thread = match spawned {
            Ok(thread) => thread,
            Err(err) => {
                running().retain(|&(c, i)| !(c == key && i == id));
                return Err(Error::invalid(
                    ErrorKind::Other,
                    format!("cannot start the authenticator's thread: {err}"),
                ));
            }
        };
        Ok(Authenticator {
            ctx,
            control,
            policies,
            thread: Some(thread),
        })
    }

    /// Sets the policy of a ZAP domain (the server socket's
    /// `ZMQ_ZAP_DOMAIN`, often `""`), replacing the one it had. The
    /// policy of [`ANY_DOMAIN`] (`"*"`) applies to every domain without a
    /// policy of its own. It takes effect for the next handshake.
    pub fn set_policy(&self, domain: &str, policy: Policy) {
        let mut policies = self.policies.write().unwrap_or_else(|p| p.into_inner());
        policies.insert(domain.to_owned(), policy);
    }

    /// Removes the policy of a domain, returning it.
    pub fn remove_policy(&self, domain: &str) -> Option<Policy> {
        let mut policies = self.policies.write().unwrap_or_else(|p| p.into_inner());
        policies.remove(domain)
    }

    /// The context the authenticator serves.
    pub fn context(&self) -> &'ctx Context {
        self.ctx
    }

    /// Stops the authenticator and waits for its thread (what dropping it
    /// does, with the error reported).
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        // After a context shutdown the send fails with ETERM; the thread
        // then sees ETERM too, and ends.
        let sent = self.control.send("STOP", SendFlags::empty());
        let joined = thread.join();
        match (sent, joined) {
            (_, Err(_)) => Err(Error::invalid(
                ErrorKind::Other,
                "the authenticator's thread panicked",
            )),
            (Err(err), Ok(())) if !err.is_terminated() => Err(err),
            _ => Ok(()),
        }
    }
}

impl Drop for Authenticator<'_> {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Binds the ZAP endpoint. An authenticator gives the name up before its
/// thread ends, but a handler of the program's own that was just closed
/// releases it in the background: while none is registered as running
/// here, a taken name is tried again for a short while.
fn bind_zap(ctx: &Context, zap: &RawSocket) -> Result<()> {
    let endpoint = crate::socket::endpoint_cstring(ZAP_ENDPOINT)?;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let Err(err) = zap.bind(&endpoint) else {
            return Ok(());
        };
        if err.kind() == ErrorKind::AddressInUse && !running_in(ctx) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        }
        if err.kind() == ErrorKind::AddressInUse {
            return Err(err.with_detail(format!(
                "another ZAP handler is bound to {ZAP_ENDPOINT} in this context; \
                 libzmq allows one per context"
            )));
        }
        return Err(err.with_detail(format!("binding {ZAP_ENDPOINT}")));
    }
}
