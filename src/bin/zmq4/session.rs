//! A command's context, its authenticator (started when a server socket
//! needs one), and its sockets.

use std::cell::OnceCell;

use zmq4::auth::Authenticator;
use zmq4::{Context, Socket, SocketType};

use crate::args::SocketArgs;
use crate::fail::{Doing, Result};
use crate::security::Security;
use crate::signals;

/// The context of one command, shut down by Ctrl-C.
pub struct Session {
    /// The context every socket of the command lives in.
    pub ctx: Context,
    auth: OnceCell<Authenticator<'static>>,
}

impl Session {
    /// A new context, shut down when a signal comes.
    pub fn new() -> Result<Session> {
        let ctx = Context::new().doing(|| "create a context".into())?;
        signals::shutdown_on_interrupt(&ctx)?;
        Ok(Session {
            ctx,
            auth: OnceCell::new(),
        })
    }

    /// The context's authenticator, started on first use.
    pub fn authenticator(&self) -> Result<&Authenticator<'static>> {
        if let Some(auth) = self.auth.get() {
            return Ok(auth);
        }
        let auth = Authenticator::owned(&self.ctx).doing(|| "start the authenticator".into())?;
        Ok(self.auth.get_or_init(|| auth))
    }

    /// A socket of type `kind` with the options of `args` and `security`,
    /// bound and connected as `args` says.
    pub fn socket(
        &self,
        kind: SocketType,
        args: &SocketArgs,
        security: &Security,
    ) -> Result<Socket<'_>> {
        args.check()?;
        let socket = self.bare(kind)?;
        args.configure(&socket)?;
        security.apply(self, &socket)?;
        args.attach(&socket)?;
        Ok(socket)
    }

    /// A socket of type `kind`, not attached.
    pub fn bare(&self, kind: SocketType) -> Result<Socket<'_>> {
        self.ctx
            .socket(kind)
            .doing(|| format!("create a {kind} socket"))
    }
}
