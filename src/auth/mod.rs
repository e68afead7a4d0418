#![doc = include_str!("../../docs/securing.md")]

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::raw::RawSocket;
use crate::socket::CtxRef;
use crate::sys::ffi;

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

/// A running ZAP handler: its thread, the other end of its control
/// channel, and the policies it applies. It answers for as long as an
/// [`Authenticator`] or a socket that relies on it holds it, and stops
/// (joining its thread) when the last one lets go.
pub(crate) struct ZapHandler {
    /// Its three sockets count as open sockets of this context (so that the
    /// end of the process does not wait for them).
    ctx: Context,
    policies: handler::Policies,
    /// Only used to stop the thread, from the drop of the last holder.
    control: Mutex<RawSocket>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Whether an `Authenticator` holds the handler.
    attached: AtomicBool,
}

impl ZapHandler {
    /// Binds the ZAP endpoint and starts the thread.
    fn start(ctx: &Context) -> Result<Arc<ZapHandler>> {
        let raw = ctx.raw()?;
        let zap = RawSocket::new(&raw, ffi::ZMQ_REP)?;
        zap.set_int(ffi::ZMQ_LINGER, 0)?;
        bind_zap(&zap)?;

        let control_endpoint = crate::endpoint::private_inproc("zap-control");
        let c_endpoint = crate::endpoint::endpoint_cstring(&control_endpoint)?;
        let thread_side = RawSocket::new(&raw, ffi::ZMQ_PAIR)?;
        thread_side.set_int(ffi::ZMQ_LINGER, 0)?;
        thread_side.bind(&c_endpoint)?;
        let control = RawSocket::new(&raw, ffi::ZMQ_PAIR)?;
        control.set_int(ffi::ZMQ_LINGER, 0)?;
        control.set_int(ffi::ZMQ_SNDTIMEO, 1000)?;
        control.connect(&c_endpoint)?;
        drop(raw);

        let policies: handler::Policies = Arc::new(RwLock::new(HashMap::new()));
        let shared = Arc::clone(&policies);
        let thread = std::thread::Builder::new()
            .name("zmq4-zap".to_owned())
            .spawn(move || handler::run(zap, thread_side, shared))
            .map_err(|err| {
                Error::invalid(
                    ErrorKind::Other,
                    format!("cannot start the authenticator's thread: {err}"),
                )
            })?;
        for _ in 0..SOCKETS {
            ctx.socket_opened();
        }
        Ok(Arc::new(ZapHandler {
            ctx: ctx.clone(),
            policies,
            control: Mutex::new(control),
            thread: Mutex::new(Some(thread)),
            attached: AtomicBool::new(true),
        }))
    }

    /// Tells the thread to stop and waits for it.
    fn stop(&self) -> Result<()> {
        let Some(thread) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() else {
            return Ok(());
        };
        // After a context shutdown the send fails with ETERM; the thread
        // then sees ETERM too, and ends.
        let control = self.control.lock().unwrap_or_else(|p| p.into_inner());
        let sent = if control.send(b"STOP", 0) == -1 {
            Err(Error::last())
        } else {
            Ok(())
        };
        drop(control);
        match (sent, thread.join()) {
            (_, Err(_)) => Err(Error::invalid(
                ErrorKind::Other,
                "the authenticator's thread panicked",
            )),
            (Err(err), Ok(())) if !err.is_terminated() => Err(err),
            _ => Ok(()),
        }
    }
}

/// The sockets of a handler: its REP, and both ends of its control pair.
const SOCKETS: usize = 3;

impl Drop for ZapHandler {
    fn drop(&mut self) {
        // The thread has ended (joined, whatever the result) and closed
        // its two sockets; the control end closes right after this.
        let _ = self.stop();
        for _ in 0..SOCKETS {
            self.ctx.socket_closed();
        }
    }
}

/// A ZAP handler (ZeroMQ RFC 27): decides, for every server socket of its
/// context that uses PLAIN or CURVE (or NULL with a ZAP domain), which
/// clients may connect.
///
/// It binds `inproc://zeromq.zap.01` in the context and answers on a
/// thread of its own from [`new`](Authenticator::new) on. A context has at
/// most one: a second one is an error of kind [`ErrorKind::AddressInUse`].
///
/// It fails closed: a server socket set up while it runs (PLAIN, CURVE or
/// GSSAPI, or NULL with a ZAP domain) relies on it, and its handler goes
/// on answering for such sockets, with the policies it has, until the last
/// of them is closed, even after the `Authenticator` is dropped (libzmq
/// would otherwise let every client in). Once nothing relies on it,
/// dropping it stops the thread and waits for it, and the endpoint is free
/// again when the drop returns. See the module docs.
///
/// Requests are answered one at a time, so a [callback](Policy::callback)
/// should decide quickly: handshakes wait for it, and dropping the
/// authenticator waits for the answer under way. A leaked authenticator
/// (`std::mem::forget`) keeps answering; like a leaked socket, it then
/// keeps its context from terminating: [`Context::term`] fails, and the
/// last handle's drop leaves the libzmq context to the process (a
/// [shutdown](Context::shutdown) still stops its thread).
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
    ctx: CtxRef<'ctx>,
    /// `None` only once stopped.
    handler: Option<Arc<ZapHandler>>,
}

impl fmt::Debug for Authenticator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Authenticator");
        d.field("context", &self.ctx.get().as_raw());
        if let Some(handler) = &self.handler {
            let policies = handler.policies.read().unwrap_or_else(|p| p.into_inner());
            d.field("policies", &*policies);
        }
        d.finish()
    }
}

impl<'ctx> Authenticator<'ctx> {
    /// Starts an authenticator in `ctx`, with no policy: until
    /// [`set_policy`](Authenticator::set_policy) says otherwise, every
    /// client that reaches it is kept out (ZAP status 400).
    ///
    /// If the handler of an earlier authenticator of the context still
    /// answers, for sockets set up under it, the new authenticator takes
    /// it over, with the policies it has.
    ///
    /// Fails with [`ErrorKind::AddressInUse`] when another authenticator
    /// runs in the context, or a ZAP handler of the program's own is bound
    /// there.
    pub fn new(ctx: &'ctx Context) -> Result<Authenticator<'ctx>> {
        Authenticator::start(CtxRef::Borrowed(ctx))
    }

    fn start(ctx: CtxRef<'ctx>) -> Result<Authenticator<'ctx>> {
        let mut slot = ctx.get().zap_slot();
        let running = slot
            .as_ref()
            .and_then(Weak::upgrade)
            .and_then(|h| h.downcast::<ZapHandler>().ok());
        let handler = match running {
            Some(handler) => {
                if handler.attached.swap(true, Ordering::AcqRel) {
                    return Err(
                        Error::from_errno(ffi::errno::EADDRINUSE).with_detail(format!(
                            "an Authenticator already runs in this context; libzmq allows \
                         one ZAP handler ({ZAP_ENDPOINT}) per context"
                        )),
                    );
                }
                handler
            }
            None => {
                let handler = ZapHandler::start(ctx.get())?;
                let weak: Weak<ZapHandler> = Arc::downgrade(&handler);
                let weak: Weak<dyn Any + Send + Sync> = weak;
                *slot = Some(weak);
                handler
            }
        };
        drop(slot);
        Ok(Authenticator {
            ctx,
            handler: Some(handler),
        })
    }

    fn handler(&self) -> &ZapHandler {
        match &self.handler {
            Some(handler) => handler,
            // Taken only by `stop`, which consumes the authenticator.
            None => unreachable!("an authenticator's handler is taken only when it stops"),
        }
    }

    /// Sets the policy of a ZAP domain (the server socket's
    /// `ZMQ_ZAP_DOMAIN`, often `""`), replacing the one it had. The
    /// policy of [`ANY_DOMAIN`] (`"*"`) applies to every domain without a
    /// policy of its own. It takes effect for the next handshake.
    pub fn set_policy(&self, domain: &str, policy: Policy) {
        let mut policies = self
            .handler()
            .policies
            .write()
            .unwrap_or_else(|p| p.into_inner());
        policies.insert(domain.to_owned(), policy);
    }

    /// Removes the policy of a domain, returning it.
    pub fn remove_policy(&self, domain: &str) -> Option<Policy> {
        let mut policies = self
            .handler()
            .policies
            .write()
            .unwrap_or_else(|p| p.into_inner());
        policies.remove(domain)
    }

    /// The context the authenticator serves.
    pub fn context(&self) -> &Context {
        self.ctx.get()
    }

    /// How many sockets rely on this authenticator: PLAIN, CURVE and
    /// GSSAPI servers (and NULL ones with a ZAP domain) set up while it
    /// runs. Its handler answers for them until they are closed, even
    /// after the authenticator itself is dropped.
    pub fn relying_sockets(&self) -> usize {
        self.handler
            .as_ref()
            .map_or(0, |h| Arc::strong_count(h).saturating_sub(1))
    }

    /// Stops the authenticator and waits for its thread, reporting an
    /// error where dropping it is silent.
    ///
    /// While sockets rely on it ([`relying_sockets`](Self::relying_sockets)),
    /// its handler goes on answering for them with the policies it has,
    /// exactly as after a drop, and this is an error of kind
    /// [`ErrorKind::InvalidState`]: it stops when the last of them is
    /// closed, so that no server is left letting every client in.
    pub fn stop(mut self) -> Result<()> {
        let Some(handler) = self.handler.take() else {
            return Ok(());
        };
        handler.attached.store(false, Ordering::Release);
        match Arc::try_unwrap(handler) {
            Ok(handler) => handler.stop(),
            Err(handler) => {
                let relying = Arc::strong_count(&handler).saturating_sub(1);
                Err(Error::invalid(
                    ErrorKind::InvalidState,
                    format!(
                        "{relying} socket(s) set up under this authenticator still rely on it: \
                         it goes on answering for them until they are closed"
                    ),
                ))
            }
        }
    }
}

impl Authenticator<'static> {
    /// As [`new`](Authenticator::new), for an authenticator that keeps the
    /// context alive itself, to live in a spawned thread or a struct field
    /// beside the sockets of [`Context::owned_socket`].
    pub fn owned(ctx: &Context) -> Result<Authenticator<'static>> {
        Authenticator::start(CtxRef::Owned(ctx.clone()))
    }
}

impl Drop for Authenticator<'_> {
    fn drop(&mut self) {
        if let Some(handler) = self.handler.take() {
            handler.attached.store(false, Ordering::Release);
            // The handler stops here if no socket relies on it.
            drop(handler);
        }
    }
}

/// Binds the ZAP endpoint. An authenticator gives the name up before its
/// thread ends, but a handler of the program's own that was just closed
/// releases it in the background: a taken name is tried again for a short
/// while (the caller knows that no authenticator runs).
fn bind_zap(zap: &RawSocket) -> Result<()> {
    let endpoint = crate::endpoint::endpoint_cstring(ZAP_ENDPOINT)?;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let Err(err) = zap.bind(&endpoint).map_err(Error::from) else {
            return Ok(());
        };
        if err.kind() == ErrorKind::AddressInUse && Instant::now() < deadline {
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
