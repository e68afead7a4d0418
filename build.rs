//! Finds libzmq for the zmq4 crate.
//!
//! In order:
//! 1. an install named by environment (`ZMQ4_PREFIX`, or `ZMQ4_LIB_DIR` and
//!    `ZMQ4_INCLUDE_DIR`), used as given;
//! 2. unless the vendored build is forced (feature `vendored` or `draft`, or
//!    `ZMQ4_VENDORED`): pkg-config `libzmq >= 4.3` (vcpkg on Windows MSVC);
//! 3. the vendored libzmq 4.3.5, unless `ZMQ4_NO_VENDOR` forbids it.
//!
//! Every variable may also be given with the target in front, as
//! `X86_64_UNKNOWN_LINUX_GNU_ZMQ4_PREFIX`; that form wins.
//! This script never changes the process environment, never runs git and
//! never reaches the network.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// How libzmq was found; announced to the crate as `cfg(zmq4_libzmq = "...")`.
#[derive(Clone, Copy)]
enum Source {
    Explicit,
    System,
    Vendored,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Explicit => "explicit",
            Source::System => "system",
            Source::Vendored => "vendored",
        }
    }
}

struct Found {
    source: Source,
    include_dir: Option<PathBuf>,
    root: Option<PathBuf>,
    version: Option<String>,
}

/// Reads a build setting, preferring the target-prefixed form, and tells
/// Cargo to rerun when either changes.
fn env_var(name: &str) -> Option<String> {
    let target = env::var("TARGET").unwrap_or_default();
    let prefixed = format!("{}_{name}", target.to_uppercase().replace(['-', '.'], "_"));
    println!("cargo:rerun-if-env-changed={prefixed}");
    println!("cargo:rerun-if-env-changed={name}");
    env::var(&prefixed)
        .ok()
        .or_else(|| env::var(name).ok())
        .filter(|v| !v.is_empty())
}

/// A yes/no setting: unset, empty, `0`, `false`, `no` and `off` mean no.
fn env_flag(name: &str) -> bool {
    env_var(name).is_some_and(|v| {
        !matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
    })
}

fn feature(name: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!(
        "cargo:rustc-check-cfg=cfg(zmq4_libzmq, values(\"explicit\", \"system\", \"vendored\"))"
    );

    let draft = feature("draft");
    let static_link = env_flag("ZMQ4_STATIC");
    let mut tried = Vec::new();

    let found = if let Some(found) = find_explicit(static_link, &mut tried) {
        found
    } else {
        let forced = feature("vendored") || draft || env_flag("ZMQ4_VENDORED");
        let system = if forced {
            tried.push(format!(
                "system libzmq: skipped, the vendored build is forced ({})",
                if feature("vendored") {
                    "feature `vendored`"
                } else if draft {
                    "feature `draft`: distribution builds do not export the DRAFT API"
                } else {
                    "ZMQ4_VENDORED"
                }
            ));
            None
        } else {
            find_system(static_link, &mut tried)
        };
        match system {
            Some(found) => found,
            None if env_flag("ZMQ4_NO_VENDOR") => {
                tried.push("vendored libzmq 4.3.5: forbidden by ZMQ4_NO_VENDOR".into());
                panic!("{}", not_found_message(&tried, true));
            }
            None => build_vendored(draft, &tried),
        }
    };

    println!("cargo:rustc-cfg=zmq4_libzmq=\"{}\"", found.source.name());
    if let Some(include) = &found.include_dir {
        println!("cargo:include={}", include.display());
    }
    if let Some(root) = &found.root {
        println!("cargo:root={}", root.display());
    }
    if let Some(version) = &found.version {
        println!("cargo:version={version}");
    }

    #[cfg(feature = "bindgen")]
    regenerate_bindings();
}

/// Step 1: an install the user names.
fn find_explicit(static_link: bool, tried: &mut Vec<String>) -> Option<Found> {
    let prefix = env_var("ZMQ4_PREFIX").map(PathBuf::from);
    let lib_dir = env_var("ZMQ4_LIB_DIR").map(PathBuf::from);
    let include_dir = env_var("ZMQ4_INCLUDE_DIR").map(PathBuf::from);
    let lib_name = env_var("ZMQ4_LIB_NAME");
    let (lib_dir, include_dir, root) = match (prefix, lib_dir, include_dir) {
        (_, Some(lib), Some(include)) => (lib, include, None),
        (Some(prefix), lib, include) => (
            lib.unwrap_or_else(|| prefix.join("lib")),
            include.unwrap_or_else(|| prefix.join("include")),
            Some(prefix),
        ),
        (None, Some(_), None) | (None, None, Some(_)) => panic!(
            "zmq4: ZMQ4_LIB_DIR and ZMQ4_INCLUDE_DIR must be set together \
             (or set ZMQ4_PREFIX to a directory holding lib/ and include/)"
        ),
        (None, None, None) => {
            tried.push(
                "an explicit install: ZMQ4_PREFIX, ZMQ4_LIB_DIR/ZMQ4_INCLUDE_DIR not set".into(),
            );
            return None;
        }
    };
    let header = include_dir.join("zmq.h");
    let version = header_version(&header).unwrap_or_else(|e| {
        panic!(
            "zmq4: the libzmq install named by ZMQ4_PREFIX / ZMQ4_INCLUDE_DIR is not usable: {e}"
        )
    });
    if !version_at_least(&version, (4, 3)) {
        panic!(
            "zmq4: {} declares libzmq {version}; zmq4 needs 4.3 or newer",
            header.display()
        );
    }
    if !lib_dir.is_dir() {
        panic!(
            "zmq4: the library directory {} does not exist",
            lib_dir.display()
        );
    }
    let name = lib_name.unwrap_or_else(|| {
        if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
            "libzmq".into()
        } else {
            "zmq".into()
        }
    });
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!(
        "cargo:rustc-link-lib={}={name}",
        if static_link { "static" } else { "dylib" }
    );
    if static_link {
        link_cxx_runtime();
    }
    Some(Found {
        source: Source::Explicit,
        include_dir: Some(include_dir),
        root,
        version: Some(version),
    })
}

/// Step 2: the system's libzmq.
fn find_system(static_link: bool, tried: &mut Vec<String>) -> Option<Found> {
    match pkg_config::Config::new()
        .atleast_version("4.3")
        .statik(static_link)
        .cargo_metadata(false)
        .probe("libzmq")
    {
        Ok(lib) => {
            emit_pkg_config_links(&lib, static_link);
            let include_dir = lib
                .include_paths
                .iter()
                .find(|p| p.join("zmq.h").is_file())
                .cloned()
                .or_else(|| lib.include_paths.first().cloned());
            let root = include_dir
                .as_ref()
                .and_then(|p| p.parent().map(Path::to_path_buf));
            return Some(Found {
                source: Source::System,
                include_dir,
                root,
                version: Some(lib.version),
            });
        }
        Err(e) => {
            let text = e.to_string();
            let first_line = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("not found")
                .to_string();
            tried.push(format!("pkg-config libzmq >= 4.3: {first_line}"));
        }
    }
    #[cfg(windows)]
    if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
        match vcpkg::Config::new().find_package("zeromq") {
            Ok(lib) => {
                let include_dir = lib.include_paths.first().cloned();
                return Some(Found {
                    source: Source::System,
                    root: include_dir
                        .as_ref()
                        .and_then(|p| p.parent().map(Path::to_path_buf)),
                    include_dir,
                    version: None,
                });
            }
            Err(e) => tried.push(format!("vcpkg zeromq: {e}")),
        }
    }
    None
}

/// Prints the link lines for a pkg-config result. For a static link,
/// libzmq itself is linked statically and what `Libs.private` adds
/// (libstdc++, libsodium, ...) dynamically.
fn emit_pkg_config_links(lib: &pkg_config::Library, static_link: bool) {
    for path in &lib.link_paths {
        println!("cargo:rustc-link-search=native={}", path.display());
    }
    for name in &lib.libs {
        if name == "zmq" && static_link {
            println!("cargo:rustc-link-lib=static=zmq");
        } else {
            println!("cargo:rustc-link-lib={name}");
        }
    }
}

fn link_cxx_runtime() {
    if let Some(runtime) = zmq_sys_vendored::cxx_runtime() {
        println!("cargo:rustc-link-lib={runtime}");
    }
}

/// Step 3: build libzmq 4.3.5 from source, with CURVE (libsodium, also
/// from source) unless feature `curve` is off. Optimised whatever the
/// profile, unless `ZMQ4_LIBZMQ_DEBUG` asks for a debug build.
fn build_vendored(draft: bool, tried: &[String]) -> Found {
    let mut build = zmq_sys_vendored::Build::new();
    build
        .draft(draft)
        .curve(feature("curve"))
        .debug(env_flag("ZMQ4_LIBZMQ_DEBUG"));
    if let Some(dir) = env_var("ZMQ4_LIBZMQ_SOURCE") {
        build.source_dir(dir);
    }
    match build.build() {
        Ok(artifacts) => Found {
            source: Source::Vendored,
            version: header_version(&artifacts.include_dir.join("zmq.h")).ok(),
            include_dir: Some(artifacts.include_dir),
            root: Some(artifacts.root),
        },
        Err(e) => {
            let mut msg = format!("zmq4: the vendored build of libzmq failed: {e}\n\n");
            msg.push_str(&not_found_message(tried, false));
            panic!("{msg}");
        }
    }
}

fn not_found_message(tried: &[String], vendoring_forbidden: bool) -> String {
    let mut msg =
        String::from("zmq4 could not find a usable libzmq (4.3 or newer).\n\nWhat was tried:\n");
    for t in tried {
        let _ = writeln!(msg, "  - {t}");
    }
    msg.push_str(
        "\nInstall libzmq and pkg-config, then build again:\n\
         \x20 Debian/Ubuntu:    sudo apt-get install libzmq3-dev pkg-config\n\
         \x20 Fedora:           sudo dnf install zeromq-devel pkgconf-pkg-config\n\
         \x20 macOS (Homebrew): brew install zeromq pkg-config\n\
         \x20 Windows (vcpkg):  vcpkg install zeromq:x64-windows  (with VCPKG_ROOT set)\n\
         Or name an install with ZMQ4_PREFIX (or ZMQ4_LIB_DIR and ZMQ4_INCLUDE_DIR).\n",
    );
    if vendoring_forbidden {
        msg.push_str("Or unset ZMQ4_NO_VENDOR to build the bundled libzmq 4.3.5 from source.\n");
    }
    msg
}

/// Reads `ZMQ_VERSION_MAJOR.MINOR.PATCH` from a zmq.h.
fn header_version(header: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(header).map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let part = |name: &str| {
        text.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix(&format!("#define ZMQ_VERSION_{name} "))
            })
            .and_then(|v| v.trim().parse::<u32>().ok())
            .ok_or_else(|| format!("{} does not define ZMQ_VERSION_{name}", header.display()))
    };
    Ok(format!(
        "{}.{}.{}",
        part("MAJOR")?,
        part("MINOR")?,
        part("PATCH")?
    ))
}

fn version_at_least(version: &str, floor: (u32, u32)) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) >= floor
}

/// Feature `bindgen`: regenerate the raw declarations from libzmq 4.3.5's
/// zmq.h into OUT_DIR; the crate then compiles those instead of the
/// committed ones, and `ci/check-bindings.sh` compares the two.
#[cfg(feature = "bindgen")]
fn regenerate_bindings() {
    let source = match env_var("ZMQ4_LIBZMQ_SOURCE") {
        Some(dir) => PathBuf::from(dir),
        None => zmq_sys_vendored::libzmq_source(),
    };
    let header = source.join("include").join("zmq.h");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    for (draft, file) in [(false, "bindings.rs"), (true, "bindings_draft.rs")] {
        let mut builder = bindgen::Builder::default()
            .header(header.to_string_lossy())
            .raw_line("// Generated by bindgen from libzmq 4.3.5's include/zmq.h; do not edit.")
            .raw_line(
                "// Regenerate with `cargo build --features bindgen` (see ci/check-bindings.sh).",
            )
            .allowlist_function("zmq_.*")
            .allowlist_type("zmq_.*")
            .allowlist_var("ZMQ_.*")
            .allowlist_var("E(FSM|NOCOMPATPROTO|TERM|MTHREAD)")
            // Types whose layout differs between platforms are written by
            // hand in src/sys/ffi.rs.
            .blocklist_type("zmq_fd_t")
            .blocklist_type("zmq_msg_t")
            .blocklist_type("zmq_pollitem_t")
            .blocklist_type("zmq_poller_event_t")
            .blocklist_type("iovec")
            .blocklist_function("zmq_ppoll")
            .blocklist_type("(__)?sigset_t")
            .default_macro_constant_type(bindgen::MacroTypeVariation::Signed)
            .layout_tests(false)
            .derive_debug(false)
            .derive_copy(false)
            .generate_comments(false)
            .merge_extern_blocks(true)
            .sort_semantically(true);
        if draft {
            builder = builder.clang_arg("-DZMQ_BUILD_DRAFT_API=1");
        }
        let bindings = builder
            .generate()
            .unwrap_or_else(|e| panic!("zmq4: bindgen failed on {}: {e}", header.display()));
        bindings
            .write_to_file(out.join(file))
            .unwrap_or_else(|e| panic!("zmq4: cannot write {file}: {e}"));
    }
}
