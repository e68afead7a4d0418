//! Binding and connecting from one endpoint list, as czmq's `zsock_attach`
//! and goczmq's `Attach` / `NewRouter("...")` do.

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};

use super::{Socket, SocketType};

/// What [`Socket::attach_with_default`] does with an endpoint that has
/// neither `@` (bind) nor `>` (connect) in front: czmq's `serverish`
/// argument, named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attach {
    /// Bind it, as a server does (czmq's `serverish = true`).
    Bind,
    /// Connect to it, as a client does (`serverish = false`).
    Connect,
}

impl SocketType {
    /// What an endpoint without `@` or `>` does in [`Socket::attach`]:
    /// [`Attach::Bind`] or [`Attach::Connect`].
    ///
    /// These are the defaults of goczmq's `NewPub`, `NewRouter`, ...
    /// constructors (and of czmq's `zsock_new_*`, which they call): the
    /// "server" side of each pattern binds, the "client" side connects.
    ///
    /// | binds | connects |
    /// |---|---|
    /// | PUB, XPUB, REP, ROUTER, PULL | SUB, XSUB, REQ, DEALER, PUSH, PAIR, STREAM |
    /// | SERVER, RADIO, GATHER (DRAFT) | CLIENT, DISH, SCATTER, and DGRAM, PEER, CHANNEL (DRAFT) |
    ///
    /// czmq has no constructor for DGRAM, PEER and CHANNEL; they connect,
    /// like PAIR.
    ///
    /// ```
    /// use zmq4::{Attach, SocketType};
    ///
    /// assert_eq!(SocketType::Router.default_attach(), Attach::Bind);
    /// assert_eq!(SocketType::Dealer.default_attach(), Attach::Connect);
    /// ```
    pub const fn default_attach(self) -> Attach {
        match self {
            SocketType::Pub
            | SocketType::XPub
            | SocketType::Rep
            | SocketType::Router
            | SocketType::Pull => Attach::Bind,
            #[cfg(feature = "draft")]
            SocketType::Server | SocketType::Radio | SocketType::Gather => Attach::Bind,
            _ => Attach::Connect,
        }
    }
}

impl<'ctx> Socket<'ctx> {
    /// Binds and connects to a comma-separated list of endpoints: `@` in
    /// front of one binds, `>` connects, and one without either does what
    /// the socket type does by default
    /// ([`SocketType::default_attach`]: a ROUTER binds, a DEALER
    /// connects, as goczmq's `NewRouter` / `NewDealer` do).
    ///
    /// Whitespace around each endpoint is ignored. An empty list or an
    /// empty endpoint (`"a,,b"`, a lone `@`) is an error of kind
    /// [`ErrorKind::InvalidEndpoint`]; every error names the endpoint it is
    /// about. The endpoints are attached in order and the first failure
    /// stops: the ones before it stay bound or connected.
    ///
    /// ```
    /// use zmq4::{Context, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let router = ctx.socket(SocketType::Router)?;
    /// // Binds both (a ROUTER binds by default), then connects.
    /// router.attach("inproc://doc-attach-a, @inproc://doc-attach-b, >inproc://doc-attach-c")?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zsock_attach")]
    pub fn attach(&self, endpoints: &str) -> Result<()> {
        self.attach_with_default(endpoints, self.kind.default_attach())
    }

    /// [`attach`](Socket::attach) with an explicit default for endpoints
    /// without `@` or `>`, as czmq's `zsock_attach(self, endpoints,
    /// serverish)`.
    ///
    /// ```
    /// use zmq4::{Attach, Context, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// // A DEALER would connect by default; this one binds both.
    /// let dealer = ctx.socket(SocketType::Dealer)?;
    /// dealer.attach_with_default("inproc://doc-attach-d, inproc://doc-attach-e", Attach::Bind)?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zsock_attach")]
    pub fn attach_with_default(&self, endpoints: &str, default: Attach) -> Result<()> {
        if endpoints.trim().is_empty() {
            return Err(Error::invalid(
                ErrorKind::InvalidEndpoint,
                format!("attach: no endpoint in {endpoints:?}"),
            ));
        }
        for item in endpoints.split(',') {
            let item = item.trim();
            let (bind, endpoint) = if let Some(rest) = item.strip_prefix('@') {
                (true, rest.trim_start())
            } else if let Some(rest) = item.strip_prefix('>') {
                (false, rest.trim_start())
            } else {
                (default == Attach::Bind, item)
            };
            if endpoint.is_empty() {
                return Err(Error::invalid(
                    ErrorKind::InvalidEndpoint,
                    format!("attach: empty endpoint {item:?} in {endpoints:?}"),
                ));
            }
            if bind {
                self.bind(endpoint)?;
            } else {
                self.connect(endpoint)?;
            }
        }
        Ok(())
    }
}

impl Context {
    /// Creates a socket and [`attach`](Socket::attach)es it to `endpoints`,
    /// as goczmq's `NewRouter("@tcp://*:5555")` and friends do.
    ///
    /// ```
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let rep = ctx.attached(SocketType::Rep, "inproc://doc-attached")?; // binds
    /// let req = ctx.attached(SocketType::Req, "inproc://doc-attached")?; // connects
    /// req.send("ping", SendFlags::empty())?;
    /// assert_eq!(rep.recv_string(RecvFlags::empty())?, "ping");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn attached(&self, kind: SocketType, endpoints: &str) -> Result<Socket<'_>> {
        let socket = self.socket(kind)?;
        socket.attach(endpoints)?;
        Ok(socket)
    }
}
