//! `zmq4 keygen`: a CURVE key pair, printed or written as certificate
//! files.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use zmq4::auth::Certificate;

use crate::fail::{usage, Doing, Result};
use crate::format::write_out;

/// Makes a CURVE key pair.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  zmq4 keygen                                   print a new pair (Z85)
  zmq4 keygen --cert server --dir certs          certs/server.key, certs/server.key_secret
  zmq4 keygen --cert alice --dir clients --meta name=alice --meta team=ops

The certificate files are those of czmq's zcert and pyzmq's
zmq.auth.create_certificates: NAME.key (the public key: give it to peers;
a directory of them is what --curve-allow reads) and NAME.key_secret (both
keys, mode 0600: what --curve-keys reads).")]
pub struct KeygenArgs {
    /// Write the certificate files NAME.key and NAME.key_secret
    #[arg(long, value_name = "NAME")]
    pub cert: Option<String>,

    /// The directory for --cert (made if missing)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// A metadata entry of the certificate (repeatable)
    #[arg(long, value_name = "NAME=VALUE")]
    pub meta: Vec<String>,

    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

/// Runs `zmq4 keygen`.
pub fn run(args: KeygenArgs) -> Result {
    if args.cert.is_none() && !args.meta.is_empty() {
        return usage("--meta is for the certificate of --cert NAME");
    }
    let mut cert = Certificate::generate().doing(|| {
        "make a key pair (a libzmq without CURVE cannot: build zmq4 with `curve`)".into()
    })?;
    for entry in &args.meta {
        let Some((name, value)) = entry.split_once('=') else {
            return usage(format!("--meta takes NAME=VALUE, not {entry:?}"));
        };
        cert = cert.with_metadata(name, value);
    }
    let public = cert.public().to_z85();
    let out = match &args.cert {
        Some(name) => {
            if name.is_empty() || name.contains(['/', '\\']) {
                return usage(format!(
                    "--cert takes a file name without a directory, not {name:?}: use --dir"
                ));
            }
            let (public_file, secret_file) = cert
                .save(&args.dir, name)
                .doing(|| format!("write the certificate {name} in {}", args.dir.display()))?;
            if args.json {
                json!({
                    "public": public,
                    "public_file": public_file.display().to_string(),
                    "secret_file": secret_file.display().to_string(),
                })
                .to_string()
                    + "\n"
            } else {
                format!(
                    "public: {public}\nwrote {}\nwrote {}\n",
                    public_file.display(),
                    secret_file.display()
                )
            }
        }
        None => {
            let secret = match cert.secret() {
                Some(secret) => secret.to_z85(),
                None => unreachable!("a generated certificate has its secret key"),
            };
            if args.json {
                json!({ "public": public, "secret": secret }).to_string() + "\n"
            } else {
                format!("public: {public}\nsecret: {secret}\n")
            }
        }
    };
    write_out(out.as_bytes())
}
