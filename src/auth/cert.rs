//! CURVE certificates in the files czmq's zcert and pyzmq's
//! `zmq.auth.create_certificates` write.
//!
//! A certificate named `name` is two files in ZPL (ZeroMQ RFC 4):
//! `name.key` holds the public key and may be given to anyone;
//! `name.key_secret` holds both keys and stays private. Both carry a
//! `metadata` section of `name = "value"` lines:
//!
//! ```text
//! #   ****  Generated on 2024-01-01 12:00:00 by zmq4  ****
//! #   ZeroMQ CURVE **Secret** Certificate
//! #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
//!
//! metadata
//!     name = "server"
//! curve
//!     public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
//!     secret-key = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, ErrorKind, Result};
use crate::key::{zero, CurveKey, CurveKeyPair, CurveSecretKey};

/// A CURVE certificate: a public key, the secret key when it is known, and
/// metadata (name/value pairs).
///
/// ```
/// use zmq4::auth::Certificate;
///
/// # if !zmq4::has("curve") { return Ok(()); }
/// let dir = std::env::temp_dir().join(format!("zmq4-doc-cert-{}", std::process::id()));
/// let cert = Certificate::generate()?.with_metadata("name", "server");
/// let (public_file, secret_file) = cert.save(&dir, "server")?;
///
/// let public = Certificate::load(&public_file)?;
/// assert_eq!(public.public(), cert.public());
/// assert!(public.secret().is_none());
/// assert_eq!(public.metadata_value("name"), Some("server"));
///
/// let full = Certificate::load(&secret_file)?;
/// assert!(full.key_pair().is_some());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    public: CurveKey,
    secret: Option<CurveSecretKey>,
    metadata: Vec<(String, String)>,
}

impl Certificate {
    /// A certificate for a new random key pair
    /// ([`CurveKeyPair::generate`]).
    #[doc(alias = "zmq_curve_keypair")]
    pub fn generate() -> Result<Certificate> {
        Ok(Certificate::from_key_pair(CurveKeyPair::generate()?))
    }

    /// The certificate of a key pair.
    pub fn from_key_pair(keys: CurveKeyPair) -> Certificate {
        Certificate {
            public: keys.public().clone(),
            secret: Some(keys.secret().clone()),
            metadata: Vec::new(),
        }
    }

    /// A public certificate: a public key only.
    pub fn from_public(public: CurveKey) -> Certificate {
        Certificate {
            public,
            secret: None,
            metadata: Vec::new(),
        }
    }

    /// Adds (or replaces) a metadata entry. Names are letters, digits and
    /// `$-_@.&+/`, as ZPL allows (other characters become `_`); values are
    /// written quoted, on one line (`"` becomes `'`, line breaks spaces).
    pub fn with_metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name: String = name
            .into()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "$-_@.&+/".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let value: String = value
            .into()
            .chars()
            .map(|c| match c {
                '"' => '\'',
                '\n' | '\r' => ' ',
                c => c,
            })
            .collect();
        self.metadata.retain(|(n, _)| *n != name);
        self.metadata.push((name, value));
        self
    }

    /// The public key.
    pub fn public(&self) -> &CurveKey {
        &self.public
    }

    /// The secret key, if this certificate has it.
    pub fn secret(&self) -> Option<&CurveSecretKey> {
        self.secret.as_ref()
    }

    /// The key pair, if this certificate has the secret key.
    pub fn key_pair(&self) -> Option<CurveKeyPair> {
        // Every way to a certificate with a secret key (from_key_pair,
        // generate, parse) made sure the halves belong together.
        self.secret
            .as_ref()
            .map(|s| CurveKeyPair::from_checked(self.public.clone(), s.clone()))
    }

    /// The metadata entries, in file order.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The value of one metadata entry.
    pub fn metadata_value(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Writes `dir/name.key` (public) and, if the secret key is known,
    /// `dir/name.key_secret` (mode 0600 on Unix), creating `dir` if
    /// needed. Returns both paths (the second is written only with a
    /// secret key).
    pub fn save(&self, dir: impl AsRef<Path>, name: &str) -> Result<(PathBuf, PathBuf)> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|e| io_error(e, dir))?;
        let public = dir.join(format!("{name}.key"));
        let secret = dir.join(format!("{name}.key_secret"));
        self.save_public(&public)?;
        if self.secret.is_some() {
            self.save_secret(&secret)?;
        }
        Ok((public, secret))
    }

    /// Writes the public file (the public key and metadata) to `path`.
    pub fn save_public(&self, path: impl AsRef<Path>) -> Result<()> {
        let text = self.render(false);
        let path = path.as_ref();
        fs::write(path, text).map_err(|e| io_error(e, path))
    }

    /// Writes the secret file (both keys and metadata) to `path`, readable
    /// by its owner only on Unix. Without a secret key: an error of kind
    /// [`ErrorKind::InvalidArgument`].
    ///
    /// The keys go into a new file, created with mode 0600 next to `path`
    /// (so there is no moment when others may read it), which then
    /// replaces `path`: a file already at `path`, or a symbolic link
    /// there, is replaced, not written through, and whoever had the old
    /// file open never sees the keys.
    pub fn save_secret(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        if self.secret.is_none() {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "{}: this certificate has no secret key to write",
                    path.display()
                ),
            ));
        }
        let Some(file_name) = path.file_name() else {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("{}: not a file name", path.display()),
            ));
        };
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(
            ".{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let temp = path.with_file_name(temp_name);

        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp).map_err(|e| io_error(e, &temp))?;
        let mut text = self.render(true).into_bytes();
        let written = io::Write::write_all(&mut file, &text).and_then(|()| file.sync_all());
        zero(&mut text);
        drop(file);
        let done = written
            .map_err(|e| io_error(e, &temp))
            .and_then(|()| fs::rename(&temp, path).map_err(|e| io_error(e, path)));
        if done.is_err() {
            let _ = fs::remove_file(&temp);
        }
        done
    }

    fn render(&self, secret: bool) -> String {
        let mut out = format!(
            "#   ****  Generated on {} by zmq4  ****\n",
            timestamp(std::time::SystemTime::now())
        );
        if secret {
            out.push_str("#   ZeroMQ CURVE **Secret** Certificate\n");
            out.push_str(
                "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n",
            );
        } else {
            out.push_str("#   ZeroMQ CURVE Public Certificate\n");
            out.push_str(
                "#   Exchange securely, or use a secure mechanism to verify the contents\n",
            );
            out.push_str(
                "#   of this file after exchange. Store public certificates in your home\n",
            );
            out.push_str("#   directory, in the .curve subdirectory.\n");
        }
        out.push_str("\nmetadata\n");
        for (name, value) in &self.metadata {
            out.push_str(&format!("    {name} = \"{value}\"\n"));
        }
        out.push_str("curve\n");
        out.push_str(&format!("    public-key = \"{}\"\n", self.public.to_z85()));
        if let (true, Some(key)) = (secret, &self.secret) {
            // Room first, so that the text is not moved (and a copy of the
            // key left behind) once the key is in it.
            out.reserve(64);
            out.push_str("    secret-key = \"");
            crate::z85::encode_into(key.as_bytes(), &mut out);
            out.push_str("\"\n");
        }
        out
    }

    /// Reads a certificate file: a public one (`name.key`) or a secret one
    /// (`name.key_secret`, whose keys are checked to belong together).
    ///
    /// A file that cannot be read, has no `curve`/`public-key`, or holds a
    /// key that is not 40 characters of Z85 is an error naming the file
    /// and what is wrong. The text read is zeroed once parsed.
    pub fn load(path: impl AsRef<Path>) -> Result<Certificate> {
        let path = path.as_ref();
        let text = fs::read_to_string(path).map_err(|e| io_error(e, path))?;
        let parsed = Certificate::parse(&text);
        zero(&mut text.into_bytes());
        parsed.map_err(|err| {
            let why = err.detail().unwrap_or("malformed").to_owned();
            err.with_detail(format!("certificate {}: {why}", path.display()))
        })
    }

    /// Reads a certificate from the text of its file (see
    /// [`load`](Certificate::load)).
    ///
    /// The text is ZPL (ZeroMQ RFC 4), as czmq's zconfig reads it: a tree
    /// whose depth is the indentation (4 spaces a level), `name = value`
    /// or a bare `name` on each line, values in `"..."` or `'...'` or
    /// unquoted, `#` starting a comment line or, after whitespace, the
    /// rest of a line. The keys are read from `curve/public-key` and
    /// `curve/secret-key` only (not from deeper sections), the metadata
    /// from the entries directly under `metadata`.
    pub fn parse(text: &str) -> Result<Certificate> {
        let bad = |why: String| Error::invalid(ErrorKind::InvalidArgument, why);
        let mut path: Vec<&str> = Vec::new();
        let mut public = None;
        let mut secret = None;
        let mut metadata = Vec::new();
        for (n, raw_line) in text.lines().enumerate() {
            let line = raw_line.trim_end_matches('\r');
            let content = line.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent: usize = line
                .chars()
                .take_while(|c| c.is_whitespace())
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum();
            // 4 spaces a level; a shallower indentation still makes a child.
            let depth = if indent == 0 { 0 } else { (indent / 4).max(1) };
            if depth > path.len() {
                return Err(bad(format!(
                    "line {} is indented deeper than its section",
                    n + 1
                )));
            }
            let (name, value) = match content.split_once('=') {
                Some((name, value)) => (name.trim(), Some(zpl_value(value))),
                None => (zpl_value(content), None),
            };
            path.truncate(depth);
            path.push(name);
            match (path.as_slice(), value) {
                (["curve", "public-key"], Some(v)) => public = Some(v),
                (["curve", "secret-key"], Some(v)) => secret = Some(v),
                (["metadata", name], Some(v)) => metadata.push((name.to_string(), v.to_owned())),
                _ => {}
            }
        }
        let public = public.ok_or_else(|| bad("no `public-key` in a `curve` section".into()))?;
        let public = CurveKey::from_z85(public).map_err(|e| {
            bad(format!(
                "public-key: {}",
                e.detail().unwrap_or("not a Z85 CURVE key")
            ))
        })?;
        let secret = match secret {
            None => None,
            Some(text) => {
                let key = CurveSecretKey::from_z85(text).map_err(|e| {
                    bad(format!(
                        "secret-key: {}",
                        e.detail().unwrap_or("not a Z85 CURVE key")
                    ))
                })?;
                // Where libzmq has CURVE, the halves must belong together.
                if crate::capability::has("curve") {
                    CurveKeyPair::new(public.clone(), key.clone())
                        .map_err(|e| bad(e.detail().unwrap_or("keys do not match").to_owned()))?;
                }
                Some(key)
            }
        };
        Ok(Certificate {
            public,
            secret,
            metadata,
        })
    }

    /// Reads every public certificate (`*.key` file) in `dir`, in name
    /// order; secret files are not read.
    pub fn load_public_dir(dir: impl AsRef<Path>) -> Result<Vec<Certificate>> {
        let dir = dir.as_ref();
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| io_error(e, dir))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "key") && p.is_file())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                Certificate::load(p)
                    .map(|c| Certificate::from_public(c.public).with_all(c.metadata))
            })
            .collect()
    }

    fn with_all(mut self, metadata: Vec<(String, String)>) -> Self {
        self.metadata = metadata;
        self
    }
}

/// A ZPL value: the text inside `"..."` or `'...'` (whatever follows the
/// closing quote is ignored), or else the text up to a `#` that follows
/// whitespace (a comment), trimmed. A `#` inside a word stays: it is a
/// Z85 character.
fn zpl_value(value: &str) -> &str {
    let value = value.trim();
    for q in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(q) {
            if let Some(end) = rest.find(q) {
                return &rest[..end];
            }
        }
    }
    let mut end = value.len();
    let mut prev_space = false;
    for (i, c) in value.char_indices() {
        if c == '#' && prev_space {
            end = i;
            break;
        }
        prev_space = c.is_whitespace();
    }
    value[..end].trim_end()
}

/// An I/O error on `path` as an [`Error`] of the nearest kind.
pub(crate) fn io_error(err: io::Error, path: &Path) -> Error {
    let kind = match err.kind() {
        io::ErrorKind::NotFound => ErrorKind::NotFound,
        io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
        io::ErrorKind::InvalidData => ErrorKind::InvalidArgument,
        _ => ErrorKind::Other,
    };
    Error::invalid(kind, format!("{}: {err}", path.display()))
}

/// `YYYY-MM-DD HH:MM:SS` in UTC.
fn timestamp(now: std::time::SystemTime) -> String {
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests;
