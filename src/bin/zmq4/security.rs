//! CURVE and PLAIN on any command's socket, with a ZAP authenticator for
//! the server side (the one that checks who may connect).

use std::path::{Path, PathBuf};

use clap::Args;
use zmq4::auth::{Certificate, Policy};
use zmq4::{CurveKey, CurveKeyPair, Socket};

use crate::fail::{usage, Doing, Fail, Result};
use crate::session::Session;

/// The security options (every command but `keygen` has them).
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Security (CURVE, PLAIN)")]
pub struct Security {
    /// Be a CURVE server, with the keys of --curve-keys (else a new pair,
    /// whose public key is printed on stderr); say who may connect with
    /// --curve-allow or --curve-allow-any
    #[arg(long)]
    pub curve_server: bool,

    /// Be a CURVE client of the server with this public key: 40 Z85
    /// characters, or its certificate file (NAME.key)
    #[arg(long, value_name = "KEY|FILE")]
    pub curve_serverkey: Option<String>,

    /// This side's CURVE keys: a secret certificate file (NAME.key_secret,
    /// as `zmq4 keygen --cert NAME` writes it); a client without it uses a
    /// new pair
    #[arg(long, value_name = "FILE")]
    pub curve_keys: Option<PathBuf>,

    /// CURVE server: let in the clients whose public certificates (*.key)
    /// are in DIR
    #[arg(long, value_name = "DIR")]
    pub curve_allow: Option<PathBuf>,

    /// CURVE server: let in any client key (encrypted, but clients are not
    /// authenticated)
    #[arg(long)]
    pub curve_allow_any: bool,

    /// Be a PLAIN client with this user name and password (sent in clear)
    #[arg(long, value_name = "USER:PASSWORD")]
    pub plain_user: Option<String>,

    /// Be a PLAIN server; say who may log in with --plain-allow or
    /// --plain-passwords
    #[arg(long)]
    pub plain_server: bool,

    /// PLAIN server: let this user in (repeatable)
    #[arg(long, value_name = "USER:PASSWORD")]
    pub plain_allow: Vec<String>,

    /// PLAIN server: let in the users of FILE (user=password lines)
    #[arg(long, value_name = "FILE")]
    pub plain_passwords: Option<PathBuf>,

    /// Server: let in only clients from this IP address (repeatable)
    #[arg(long, value_name = "IP")]
    pub allow_ip: Vec<String>,

    /// Server: keep out clients from this IP address (repeatable)
    #[arg(long, value_name = "IP")]
    pub deny_ip: Vec<String>,

    /// Server: the ZAP domain the authenticator's policy is for
    #[arg(long, value_name = "DOMAIN", default_value = "")]
    pub zap_domain: String,
}

impl Security {
    /// Makes `socket` a CURVE or PLAIN server or client as the options
    /// say, starting the session's authenticator for a server.
    pub fn apply(&self, session: &Session, socket: &Socket<'_>) -> Result<()> {
        let roles = [
            self.curve_server,
            self.curve_serverkey.is_some(),
            self.plain_server,
            self.plain_user.is_some(),
        ];
        if roles.iter().filter(|&&r| r).count() > 1 {
            return usage(
                "choose one of --curve-server, --curve-serverkey, --plain-server, --plain-user",
            );
        }
        let server = self.curve_server || self.plain_server;
        if !server
            && (self.curve_allow.is_some()
                || self.curve_allow_any
                || !self.plain_allow.is_empty()
                || self.plain_passwords.is_some()
                || !self.allow_ip.is_empty()
                || !self.deny_ip.is_empty())
        {
            return usage(
                "--curve-allow, --plain-allow, --allow-ip and the like are for a server: \
                 add --curve-server or --plain-server",
            );
        }
        if self.curve_keys.is_some() && !self.curve_server && self.curve_serverkey.is_none() {
            return usage("--curve-keys needs --curve-server or --curve-serverkey");
        }
        if (self.curve_server || self.curve_serverkey.is_some()) && !zmq4::has("curve") {
            return Err(Fail::Error(
                "this libzmq was built without CURVE: build zmq4 with its `curve` feature \
                 (the default) or link a libzmq that has it"
                    .into(),
            ));
        }
        let domain = self.zap_domain.as_str();
        if self.curve_server {
            let keys = match &self.curve_keys {
                Some(path) => load_pair(path)?,
                None => {
                    let keys = CurveKeyPair::generate().doing(|| "make a key pair".into())?;
                    eprintln!("zmq4: CURVE server public key: {}", keys.public());
                    keys
                }
            };
            let policy = match (&self.curve_allow, self.curve_allow_any) {
                (Some(_), true) => {
                    return usage("choose one of --curve-allow and --curve-allow-any")
                }
                (Some(dir), false) => self
                    .ips(Policy::new())
                    .curve_allow_certificates(dir)
                    .doing(|| {
                        format!("read the certificates of --curve-allow {}", dir.display())
                    })?,
                (None, true) => self.ips(Policy::new()).curve_allow_any(),
                (None, false) => {
                    return usage(
                        "a CURVE server must say who may connect: --curve-allow DIR (their \
                         public certificates) or --curve-allow-any",
                    )
                }
            };
            session.authenticator()?.set_policy(domain, policy);
            socket
                .make_curve_server(domain, &keys)
                .doing(|| "make a CURVE server".into())?;
        } else if let Some(server) = &self.curve_serverkey {
            let server = server_key(server)?;
            let keys = match &self.curve_keys {
                Some(path) => load_pair(path)?,
                None => CurveKeyPair::generate().doing(|| "make a key pair".into())?,
            };
            socket
                .make_curve_client(&server, &keys)
                .doing(|| "make a CURVE client".into())?;
        } else if self.plain_server {
            if self.plain_allow.is_empty() && self.plain_passwords.is_none() {
                return usage(
                    "a PLAIN server must say who may log in: --plain-allow USER:PASSWORD or \
                     --plain-passwords FILE",
                );
            }
            let users = self
                .plain_allow
                .iter()
                .map(|u| user_password(u, "--plain-allow"))
                .collect::<Result<Vec<_>>>()?;
            let mut policy = self.ips(Policy::new()).plain_users(users);
            if let Some(file) = &self.plain_passwords {
                policy = policy
                    .plain_password_file(file)
                    .doing(|| format!("read --plain-passwords {}", file.display()))?;
            }
            session.authenticator()?.set_policy(domain, policy);
            socket
                .make_plain_server(domain)
                .doing(|| "make a PLAIN server".into())?;
        } else if let Some(user) = &self.plain_user {
            let (user, password) = user_password(user, "--plain-user")?;
            socket
                .make_plain_client(&user, &password)
                .doing(|| "make a PLAIN client".into())?;
        }
        Ok(())
    }

    fn ips(&self, policy: Policy) -> Policy {
        policy
            .allow_ips(self.allow_ip.iter().map(String::as_str))
            .deny_ips(self.deny_ip.iter().map(String::as_str))
    }
}

/// `USER:PASSWORD`, split at the first colon.
fn user_password(text: &str, option: &str) -> Result<(String, String)> {
    match text.split_once(':') {
        Some((user, password)) if !user.is_empty() => Ok((user.into(), password.into())),
        _ => usage(format!("{option} takes USER:PASSWORD, not {text:?}")),
    }
}

/// The key pair of a secret certificate file.
fn load_pair(path: &Path) -> Result<CurveKeyPair> {
    let cert = Certificate::load(path).doing(|| format!("read --curve-keys {}", path.display()))?;
    cert.key_pair().ok_or_else(|| {
        Fail::Usage(format!(
            "{} holds no secret key: give the NAME.key_secret file",
            path.display()
        ))
    })
}

/// A server's public key: 40 Z85 characters, or a certificate file.
fn server_key(text: &str) -> Result<CurveKey> {
    if text.len() == 40 && !Path::new(text).exists() {
        return text
            .parse::<CurveKey>()
            .doing(|| "read --curve-serverkey".into());
    }
    let cert = Certificate::load(text).doing(|| {
        format!("read --curve-serverkey {text} (40 Z85 characters or a certificate file)")
    })?;
    Ok(cert.public().clone())
}
