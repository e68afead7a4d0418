//! What the authenticator decides: per-domain [`Policy`], the
//! [`ZapRequest`] it reads and the [`ZapDecision`] it answers.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use super::cert::{io_error, Certificate};
use crate::error::{Error, ErrorKind, Result};
use crate::key::CurveKey;
use crate::socket::Mechanism;

/// What a client showed in its handshake, as the ZAP request carries it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// The NULL mechanism: nothing.
    Null,
    /// PLAIN: a user name and a password.
    Plain {
        /// The user name.
        username: String,
        /// The password (not shown by `Debug`).
        password: String,
    },
    /// CURVE: the client's long-term public key.
    Curve {
        /// The client's public key.
        public_key: CurveKey,
    },
    /// GSSAPI: the client's principal.
    Gssapi {
        /// The principal name as libzmq sends it.
        principal: Vec<u8>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Null => f.write_str("Null"),
            Credentials::Plain { username, .. } => f
                .debug_struct("Plain")
                .field("username", username)
                .field("password", &"..")
                .finish(),
            Credentials::Curve { public_key } => f
                .debug_struct("Curve")
                .field("public_key", &public_key.to_z85())
                .finish(),
            Credentials::Gssapi { principal } => f
                .debug_struct("Gssapi")
                .field("principal", &String::from_utf8_lossy(principal))
                .finish(),
        }
    }
}

/// One ZAP request (ZeroMQ RFC 27): who connects, where, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ZapRequest {
    /// The ZAP domain of the server socket (`ZMQ_ZAP_DOMAIN`), often empty.
    pub domain: String,
    /// The peer's address as libzmq reports it: for tcp its IP address
    /// (`"127.0.0.1"`, `"::1"`, or `"::ffff:127.0.0.1"` for an IPv4 peer
    /// of an IPv6 socket); for ipc on Linux `"localhost:UID:GID:PID"` of
    /// the peer process. inproc connections never reach ZAP.
    pub address: String,
    /// The peer's routing id, if it set one.
    pub routing_id: Vec<u8>,
    /// The credentials, which also tell the mechanism.
    pub credentials: Credentials,
}

impl ZapRequest {
    /// The security mechanism of the handshake.
    pub fn mechanism(&self) -> Mechanism {
        match self.credentials {
            Credentials::Null => Mechanism::Null,
            Credentials::Plain { .. } => Mechanism::Plain,
            Credentials::Curve { .. } => Mechanism::Curve,
            Credentials::Gssapi { .. } => Mechanism::Gssapi,
        }
    }
}

/// The answer to a [`ZapRequest`]: allow (status 200) with a User-Id and
/// metadata, or deny (status 400) with a reason.
///
/// ```
/// use zmq4::auth::ZapDecision;
///
/// let yes = ZapDecision::allow("alice").with_metadata("Role", "admin");
/// assert!(yes.is_allowed());
/// assert_eq!(yes.status_code(), 200);
/// let no = ZapDecision::deny("not today");
/// assert_eq!(no.status_code(), 400);
/// assert_eq!(no.status_text(), "not today");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZapDecision {
    status: u16,
    text: String,
    user_id: String,
    metadata: Vec<(String, Vec<u8>)>,
}

impl ZapDecision {
    /// Lets the client in; receivers read `user_id` as the `User-Id`
    /// property of its messages ([`Message::user_id`](crate::Message::user_id)).
    pub fn allow(user_id: impl Into<String>) -> ZapDecision {
        ZapDecision {
            status: 200,
            text: "OK".to_owned(),
            user_id: user_id.into(),
            metadata: Vec::new(),
        }
    }

    /// Keeps the client out (ZAP status 400), giving `reason`.
    pub fn deny(reason: impl Into<String>) -> ZapDecision {
        ZapDecision {
            status: 400,
            text: reason.into(),
            user_id: String::new(),
            metadata: Vec::new(),
        }
    }

    /// An internal failure of the handler (ZAP status 500): the client is
    /// kept out.
    pub(crate) fn internal(reason: impl Into<String>) -> ZapDecision {
        ZapDecision {
            status: 500,
            text: reason.into(),
            user_id: String::new(),
            metadata: Vec::new(),
        }
    }

    /// Adds a metadata property, which receivers read with
    /// [`Message::property`](crate::Message::property). Names are at most
    /// 255 bytes; empty or longer ones, and the names libzmq sets or reads
    /// itself (`Socket-Type`, `Identity`, `Routing-Id`, `User-Id`,
    /// `Peer-Address`, in any case), are left out of the reply. The first
    /// property of a name wins.
    pub fn with_metadata(mut self, name: impl Into<String>, value: impl AsRef<[u8]>) -> Self {
        self.metadata.push((name.into(), value.as_ref().to_vec()));
        self
    }

    /// Whether the client is let in.
    pub fn is_allowed(&self) -> bool {
        self.status == 200
    }

    /// The ZAP status code: 200, 400 or 500.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// The status text: "OK", or why the client was kept out.
    pub fn status_text(&self) -> &str {
        &self.text
    }

    /// The User-Id given to an allowed client.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The metadata properties.
    pub fn metadata(&self) -> &[(String, Vec<u8>)] {
        &self.metadata
    }
}

type Callback = Arc<dyn Fn(&ZapRequest) -> ZapDecision + Send + Sync>;

/// Who may connect in one ZAP domain, for an
/// [`Authenticator`](super::Authenticator).
///
/// A policy starts closed for PLAIN, CURVE and GSSAPI: nobody gets in until
/// it names users, keys, or "any". NULL clients (no security mechanism)
/// are let in unless the address lists keep them out, because NULL has no
/// credentials to check.
///
/// The checks, in order (as czmq's zauth and pyzmq's authenticators make
/// them):
/// 1. Addresses: if the allow list is not empty, only its addresses get
///    past; addresses on the deny list do not (so an address on both is
///    kept out, where zauth would let the allow list alone decide).
/// 2. If the policy has a [`callback`](Policy::callback), it decides alone.
/// 3. Otherwise the mechanism's check: NULL passes; PLAIN needs a known user
///    with the right password; CURVE needs "allow any" or an allowed key;
///    GSSAPI needs [`gssapi_allow_any`](Policy::gssapi_allow_any).
///
/// User-Id of an allowed client: the PLAIN user name, the Z85 text of the
/// CURVE key, the GSSAPI principal, empty for NULL.
#[derive(Clone, Default)]
pub struct Policy {
    allow: HashSet<String>,
    deny: HashSet<String>,
    users: HashMap<String, String>,
    curve_any: bool,
    curve_keys: HashSet<CurveKey>,
    gssapi_any: bool,
    callback: Option<Callback>,
    metadata: Vec<(String, Vec<u8>)>,
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut users: Vec<&String> = self.users.keys().collect();
        users.sort();
        f.debug_struct("Policy")
            .field("allow", &self.allow)
            .field("deny", &self.deny)
            .field("plain_users", &users)
            .field("curve_allow_any", &self.curve_any)
            .field("curve_keys", &self.curve_keys.len())
            .field("gssapi_allow_any", &self.gssapi_any)
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl Policy {
    /// A policy that lets in NULL clients only.
    pub fn new() -> Policy {
        Policy::default()
    }

    /// Adds IP addresses (as text, e.g. `"127.0.0.1"` or `"::1"`) to the
    /// allow list: once it is not empty, clients from other addresses are
    /// kept out.
    ///
    /// Addresses are compared as IP addresses, not as text: `"::1"` and
    /// `"0:0:0:0:0:0:0:1"` are one address, and an IPv4 client that
    /// reaches an IPv6 socket (which libzmq reports as
    /// `"::ffff:127.0.0.1"`) is matched by its IPv4 address. Entries that
    /// are not an IP address (a network such as `"10.0.0.0/8"`, a host
    /// name) match only a peer address of exactly that text, which libzmq
    /// never reports for tcp: there are no ranges.
    pub fn allow_ips<I, S>(mut self, addresses: I) -> Policy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow
            .extend(addresses.into_iter().map(|a| normalize_address(&a.into())));
        self
    }

    /// Adds IP addresses to the deny list: clients from them are kept out.
    /// Matching is as for [`allow_ips`](Policy::allow_ips).
    pub fn deny_ips<I, S>(mut self, addresses: I) -> Policy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.deny
            .extend(addresses.into_iter().map(|a| normalize_address(&a.into())));
        self
    }

    /// Adds PLAIN users, as (user name, password) pairs.
    pub fn plain_users<I, U, P>(mut self, users: I) -> Policy
    where
        I: IntoIterator<Item = (U, P)>,
        U: Into<String>,
        P: Into<String>,
    {
        self.users
            .extend(users.into_iter().map(|(u, p)| (u.into(), p.into())));
        self
    }

    /// Adds the PLAIN users of a password file, in the format of czmq's
    /// zauth: one `user=password` a line (the password is everything after
    /// the first `=`, spaces included; the user name is trimmed); empty
    /// lines and lines starting with `#` are skipped. A line without `=`,
    /// or with an empty user name, is an error naming the file and line
    /// (czmq skips such lines silently).
    pub fn plain_password_file(self, path: impl AsRef<Path>) -> Result<Policy> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| io_error(e, path))?;
        let mut users = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (user, password) = line.split_once('=').ok_or_else(|| {
                Error::invalid(
                    ErrorKind::InvalidArgument,
                    format!(
                        "password file {}: line {} is not `user=password`",
                        path.display(),
                        n + 1
                    ),
                )
            })?;
            if user.trim().is_empty() {
                return Err(Error::invalid(
                    ErrorKind::InvalidArgument,
                    format!(
                        "password file {}: line {} has an empty user name",
                        path.display(),
                        n + 1
                    ),
                ));
            }
            users.push((user.trim().to_owned(), password.to_owned()));
        }
        Ok(self.plain_users(users))
    }

    /// Lets in every CURVE client whatever its key (the connection is
    /// still encrypted, and the client still checks the server's key).
    /// Clients' keys become their User-Id.
    pub fn curve_allow_any(mut self) -> Policy {
        self.curve_any = true;
        self
    }

    /// Lets in the CURVE clients with these public keys.
    pub fn curve_allow_keys<'k>(mut self, keys: impl IntoIterator<Item = &'k CurveKey>) -> Policy {
        self.curve_keys.extend(keys.into_iter().cloned());
        self
    }

    /// Lets in the CURVE clients whose public certificates (`*.key` files,
    /// as czmq's zcert and pyzmq's `zmq.auth.create_certificates` write)
    /// are in `dir`. The directory is read now; a certificate that cannot
    /// be read is an error naming its file.
    pub fn curve_allow_certificates(self, dir: impl AsRef<Path>) -> Result<Policy> {
        let certs = Certificate::load_public_dir(dir)?;
        let keys: Vec<CurveKey> = certs.iter().map(|c| c.public().clone()).collect();
        Ok(self.curve_allow_keys(&keys))
    }

    /// Lets in every GSSAPI client (GSSAPI authenticated it already); its
    /// principal becomes its User-Id.
    pub fn gssapi_allow_any(mut self) -> Policy {
        self.gssapi_any = true;
        self
    }

    /// Decides with `callback` after the address checks, instead of the
    /// built-in mechanism checks. A callback that panics keeps the client
    /// out (ZAP status 500).
    pub fn callback<F>(mut self, callback: F) -> Policy
    where
        F: Fn(&ZapRequest) -> ZapDecision + Send + Sync + 'static,
    {
        self.callback = Some(Arc::new(callback));
        self
    }

    /// A metadata property given to every allowed client's connection
    /// (after those of a [`callback`](Policy::callback)'s decision; names
    /// as for [`ZapDecision::with_metadata`]).
    pub fn metadata(mut self, name: impl Into<String>, value: impl AsRef<[u8]>) -> Policy {
        self.metadata.push((name.into(), value.as_ref().to_vec()));
        self
    }

    /// The decision for one request.
    pub fn decide(&self, request: &ZapRequest) -> ZapDecision {
        let address = normalize_address(&request.address);
        if !self.allow.is_empty() && !self.allow.contains(&address) {
            return ZapDecision::deny("address not in the allow list");
        }
        if self.deny.contains(&address) {
            return ZapDecision::deny("address denied");
        }
        let decision = match &self.callback {
            Some(callback) => {
                let run = std::panic::AssertUnwindSafe(|| callback(request));
                std::panic::catch_unwind(run)
                    .unwrap_or_else(|_| ZapDecision::internal("the ZAP callback panicked"))
            }
            None => self.check(request),
        };
        if decision.is_allowed() && !self.metadata.is_empty() {
            let mut decision = decision;
            decision.metadata.extend(self.metadata.iter().cloned());
            return decision;
        }
        decision
    }

    fn check(&self, request: &ZapRequest) -> ZapDecision {
        match &request.credentials {
            Credentials::Null => ZapDecision::allow(""),
            Credentials::Plain { username, password } => match self.users.get(username) {
                Some(expected) if same(expected.as_bytes(), password.as_bytes()) => {
                    ZapDecision::allow(username.clone())
                }
                _ => ZapDecision::deny("wrong user name or password"),
            },
            Credentials::Curve { public_key } => {
                if self.curve_any || self.curve_keys.contains(public_key) {
                    ZapDecision::allow(public_key.to_z85())
                } else {
                    ZapDecision::deny("CURVE key not allowed")
                }
            }
            Credentials::Gssapi { principal } => {
                if self.gssapi_any {
                    ZapDecision::allow(String::from_utf8_lossy(principal))
                } else {
                    ZapDecision::deny("GSSAPI not allowed in this domain")
                }
            }
        }
    }
}

/// The form an address is compared in: an IP address in its canonical
/// text, an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what an IPv6
/// socket reports for an IPv4 peer) as its IPv4 address; anything else
/// (ipc peers, scoped IPv6 addresses) as it is.
fn normalize_address(address: &str) -> String {
    let trimmed = address.trim();
    match trimmed.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        },
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_owned(),
    }
}

/// Compares two secrets in time that depends only on their lengths (a
/// wrong length is told at once: the length of a password is not hidden).
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    std::hint::black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}
