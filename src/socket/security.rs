//! One-call security setup for a socket: NULL, PLAIN, CURVE and GSSAPI,
//! server and client sides.

use super::Socket;
use crate::error::{Error, ErrorKind, Result};
use crate::key::{CurveKey, CurveKeyPair};

/// libzmq's DRAFT `ZMQ_ZAP_ENFORCE_DOMAIN`: when set, a PLAIN or CURVE
/// server fails the handshake if no ZAP handler answers.
const ZMQ_ZAP_ENFORCE_DOMAIN: i32 = 93;

impl<'ctx> Socket<'ctx> {
    /// Makes this socket use the NULL mechanism (no security), as a new
    /// socket does. With a non-empty `zap_domain`, an
    /// [`Authenticator`](crate::auth::Authenticator) of the context is
    /// asked about each peer of a server (its address lists apply; with
    /// no authenticator running, everyone gets in); with `""`, libzmq
    /// asks no one.
    pub fn make_null(&self, zap_domain: &str) -> Result<()> {
        // PLAIN_SERVER = 0 sets the mechanism back to NULL.
        self.set_plain_server(false)?;
        self.set_domain(zap_domain)
    }

    /// Makes this socket a PLAIN server: clients' user names and passwords
    /// are checked by the context's
    /// [`Authenticator`](crate::auth::Authenticator), in ZAP domain
    /// `zap_domain`.
    ///
    /// Without a running authenticator in the socket's context this is an
    /// error of kind [`ErrorKind::InvalidState`]: libzmq would let every
    /// client in. PLAIN sends passwords in clear text; use it on trusted
    /// networks only, or prefer CURVE.
    pub fn make_plain_server(&self, zap_domain: &str) -> Result<()> {
        self.require_authenticator("a PLAIN server")?;
        self.set_domain(zap_domain)?;
        self.enforce_zap(zap_domain);
        self.set_plain_server(true)
    }

    /// Makes this socket a PLAIN client that logs in with `username` and
    /// `password` (each at most 255 bytes).
    pub fn make_plain_client(&self, username: &str, password: &str) -> Result<()> {
        self.set_plain_username(username)?;
        self.set_plain_password(password)
    }

    /// Makes this socket a CURVE server with the key pair `keys`: traffic is
    /// encrypted, clients must know `keys.public()`, and the context's
    /// [`Authenticator`](crate::auth::Authenticator) decides, in ZAP domain
    /// `zap_domain`, which client keys may connect.
    ///
    /// Without a running authenticator in the socket's context this is an
    /// error of kind [`ErrorKind::InvalidState`], because libzmq would then
    /// accept every client key. To accept any client on purpose, say so
    /// with [`make_curve_server_allow_any`](Socket::make_curve_server_allow_any)
    /// or with an authenticator policy of
    /// [`curve_allow_any`](crate::auth::Policy::curve_allow_any).
    ///
    /// With a non-empty `zap_domain`, where libzmq has the DRAFT option
    /// `ZMQ_ZAP_ENFORCE_DOMAIN`, that option is set too, so that clients
    /// are refused rather than let in if the authenticator stops before
    /// the socket. The empty domain is libzmq's default; once a socket has
    /// another, it cannot go back to `""` (an error).
    #[doc(alias = "ServerAuthCurve")]
    pub fn make_curve_server(&self, zap_domain: &str, keys: &CurveKeyPair) -> Result<()> {
        self.require_authenticator("a CURVE server")?;
        self.set_domain(zap_domain)?;
        self.enforce_zap(zap_domain);
        self.set_curve_server_keys(keys)
    }

    /// Makes this socket a CURVE server that accepts every client key: the
    /// traffic is encrypted and clients can be sure they reach the holder
    /// of `keys`, but any client that knows `keys.public()` gets in.
    ///
    /// If an [`Authenticator`](crate::auth::Authenticator) runs in the
    /// context, libzmq still asks it (in the socket's ZAP domain, `""`
    /// unless set), and its policy applies. If none does, the `User-Id`
    /// of received messages is whatever the client claims in its
    /// handshake: do not trust it.
    pub fn make_curve_server_allow_any(&self, keys: &CurveKeyPair) -> Result<()> {
        self.set_curve_server_keys(keys)
    }

    fn set_curve_server_keys(&self, keys: &CurveKeyPair) -> Result<()> {
        self.set_curve_server(true)?;
        self.set_curve_secretkey(keys.secret())
            .map_err(|err| curve_error(err, "ZMQ_CURVE_SECRETKEY"))?;
        self.set_curve_publickey(keys.public())
    }

    /// Makes this socket a CURVE client of the server whose public key is
    /// `server`, using its own key pair `keys`.
    ///
    /// Mistakes that can be seen here are errors of kind
    /// [`ErrorKind::InvalidArgument`]: `server` equal to the client's own
    /// public key, or to its own secret key (a secret key given as a public
    /// one). A server key that is simply wrong cannot be seen before the
    /// handshake, which then fails (the server's monitor reports it).
    #[doc(alias = "ClientAuthCurve")]
    pub fn make_curve_client(&self, server: &CurveKey, keys: &CurveKeyPair) -> Result<()> {
        if keys.is_own_secret(server) {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "the server key given is this client's own secret key: a secret key used as a public one",
            ));
        }
        if server == keys.public() {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "the server key given is this client's own public key",
            ));
        }
        self.set_curve_serverkey(server)?;
        self.set_curve_publickey(keys.public())?;
        self.set_curve_secretkey(keys.secret())
            .map_err(|err| curve_error(err, "ZMQ_CURVE_SECRETKEY"))
    }

    /// Makes this socket a GSSAPI server, with its own principal
    /// `principal` and ZAP domain `zap_domain`.
    ///
    /// Needs a libzmq with GSSAPI ([`has("gssapi")`](crate::has)); without
    /// it, an error of kind [`ErrorKind::NotSupported`]. Like PLAIN and
    /// CURVE servers, it needs a running
    /// [`Authenticator`](crate::auth::Authenticator) (else
    /// [`ErrorKind::InvalidState`]).
    pub fn make_gssapi_server(&self, zap_domain: &str, principal: &str) -> Result<()> {
        require_gssapi()?;
        self.require_authenticator("a GSSAPI server")?;
        self.set_domain(zap_domain)?;
        self.enforce_zap(zap_domain);
        self.set_gssapi_principal(principal)?;
        self.set_gssapi_server(true)
    }

    /// Makes this socket a GSSAPI client with its own principal
    /// `principal`, of the server whose principal is `service_principal`.
    ///
    /// Needs a libzmq with GSSAPI ([`has("gssapi")`](crate::has)); without
    /// it, an error of kind [`ErrorKind::NotSupported`].
    pub fn make_gssapi_client(&self, principal: &str, service_principal: &str) -> Result<()> {
        require_gssapi()?;
        self.set_gssapi_principal(principal)?;
        self.set_gssapi_service_principal(service_principal)
    }

    /// Sets `ZMQ_ZAP_DOMAIN`. libzmq refuses the empty domain as a value,
    /// but it is the default: asking for it on a socket whose domain is
    /// still empty does nothing, and on one with another domain is an error.
    fn set_domain(&self, zap_domain: &str) -> Result<()> {
        if zap_domain.is_empty() {
            let current = self.zap_domain()?;
            if current.is_empty() {
                return Ok(());
            }
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("the ZAP domain is {current:?}; libzmq cannot set it back to \"\""),
            ));
        }
        self.set_zap_domain(zap_domain)
    }

    /// Holds the context's authenticator for as long as this socket
    /// lives, or refuses when none runs.
    fn require_authenticator(&self, what: &str) -> Result<()> {
        if self.rely_on_zap() {
            return Ok(());
        }
        Err(Error::invalid(
            ErrorKind::InvalidState,
            format!(
                "{what} needs a running zmq4::auth::Authenticator in its context: \
                 without a ZAP handler libzmq lets every client in \
                 (start one, or choose \"allow any\" explicitly)"
            ),
        ))
    }

    /// Sets `ZMQ_ZAP_ENFORCE_DOMAIN` for a non-empty ZAP domain, where
    /// libzmq has the option (DRAFT builds); elsewhere libzmq refuses it,
    /// and that is ignored. libzmq asserts that an enforcing PLAIN or CURVE
    /// server has a domain, so the empty domain is left alone.
    fn enforce_zap(&self, zap_domain: &str) {
        if !zap_domain.is_empty() {
            let _ = self.raw.set_int(ZMQ_ZAP_ENFORCE_DOMAIN, 1);
        }
    }
}

fn require_gssapi() -> Result<()> {
    if crate::capability::has("gssapi") {
        Ok(())
    } else {
        Err(Error::invalid(
            ErrorKind::NotSupported,
            "this libzmq was built without GSSAPI (has(\"gssapi\") is false)",
        ))
    }
}

fn curve_error(err: Error, option: &str) -> Error {
    if crate::capability::has("curve") {
        err.with_detail(option.to_owned())
    } else {
        err.with_detail(format!("{option}: this libzmq was built without CURVE"))
    }
}
