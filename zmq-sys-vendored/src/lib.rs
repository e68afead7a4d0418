//! Builds libzmq 4.3.5 from source, statically, for the `zmq4` crate, with
//! libsodium 1.0.22 for CURVE.
//!
//! This is a build-helper crate: `zmq4`'s build script calls [`Build::build`]
//! when no usable system libzmq is found (or when the vendored build is
//! forced). Both sources travel in this package (`libzmq/`: libzmq 4.3.5's
//! `include/`, `src/` and the two `external/` libraries it compiles;
//! `libsodium/`: libsodium's `src/libsodium`), so a build needs no network
//! and no other package's files. The build configuration is our own: a full
//! `platform.hpp` for each target OS, so the vendored library has what a
//! distribution's build of the same version has (TCP keepalive options,
//! eventfd signalers, `SOCK_CLOEXEC`/`accept4`, the fork-safety guards,
//! `ppoll`, IPC, WebSocket, TIPC on Linux), and CURVE through a libsodium
//! compiled here with `cc`.
//!
//! Both libraries are compiled with optimisation (`-O2`, or the profile's
//! own level when it is higher) whatever the profile, since a program's
//! debug build still wants a fast libzmq; [`Build::debug`] asks for an
//! unoptimised libzmq with debug information instead.
//!
//! ```no_run
//! // In a build script:
//! let artifacts = zmq_sys_vendored::Build::new()
//!     .draft(false)
//!     .curve(true)
//!     .build()
//!     .expect("building libzmq");
//! println!("cargo:include={}", artifacts.include_dir.display());
//! ```
#![deny(missing_docs)]

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

mod platform;
mod sodium;

/// The libzmq version this crate builds.
pub const LIBZMQ_VERSION: (u32, u32, u32) = (4, 3, 5);

/// The libsodium version this crate builds for CURVE.
pub const LIBSODIUM_VERSION: (u32, u32, u32) = (1, 0, 22);

/// The libzmq 4.3.5 source tree this package carries (holds `include/`,
/// `src/` and `external/`).
pub fn libzmq_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("libzmq")
}

/// The libsodium source tree this package carries (holds
/// `src/libsodium/`).
pub fn libsodium_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("libsodium")
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// Directory holding `zmq.h` and `zmq_utils.h`.
    pub include_dir: PathBuf,
    /// Directory holding the static libraries.
    pub lib_dir: PathBuf,
    /// The root of the build output (holds `include/` and `lib/`).
    pub root: PathBuf,
    /// Whether CURVE (through libsodium) was compiled in.
    pub curve: bool,
    /// Whether the DRAFT API was compiled in.
    pub draft: bool,
    /// Whether libzmq was compiled unoptimised, for debugging.
    pub debug: bool,
}

/// Settings for one vendored build of libzmq.
#[derive(Debug, Clone, Default)]
pub struct Build {
    draft: bool,
    curve: bool,
    debug: bool,
    source_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

/// The facts about a target that decide its configuration.
pub(crate) struct Target {
    pub(crate) triple: String,
    pub(crate) os: String,
    pub(crate) env: String,
    pub(crate) arch: String,
}

impl Target {
    fn from_env() -> Result<Self, String> {
        let var = |name: &str| {
            env::var(name).map_err(|_| format!("{name} is not set: not running in a build script?"))
        };
        Ok(Target {
            triple: var("TARGET")?,
            os: var("CARGO_CFG_TARGET_OS")?,
            env: env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default(),
            arch: env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default(),
        })
    }

    pub(crate) fn is_windows(&self) -> bool {
        self.os == "windows"
    }

    pub(crate) fn is_msvc(&self) -> bool {
        self.env == "msvc"
    }

    pub(crate) fn is_apple(&self) -> bool {
        matches!(
            self.os.as_str(),
            "macos" | "ios" | "tvos" | "watchos" | "visionos"
        )
    }

    pub(crate) fn is_linux_like(&self) -> bool {
        matches!(self.os.as_str(), "linux" | "android")
    }

    pub(crate) fn is_bsd(&self) -> bool {
        matches!(
            self.os.as_str(),
            "freebsd" | "dragonfly" | "netbsd" | "openbsd"
        )
    }

    /// The file name `cc` gives the static library `name`.
    fn static_lib(&self, name: &str) -> String {
        if self.is_msvc() {
            format!("{name}.lib")
        } else {
            format!("lib{name}.a")
        }
    }
}

impl Build {
    /// A build with the default settings: stable API, no CURVE, optimised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Compile libzmq's DRAFT API in (`ZMQ_BUILD_DRAFT_API`).
    pub fn draft(&mut self, on: bool) -> &mut Self {
        self.draft = on;
        self
    }

    /// Compile CURVE in, with the libsodium this package carries. When it
    /// is asked for and libsodium cannot be compiled, [`Build::build`]
    /// fails: a build never goes on without CURVE in silence.
    pub fn curve(&mut self, on: bool) -> &mut Self {
        self.curve = on;
        self
    }

    /// Compile libzmq (and libsodium) without optimisation and with debug
    /// information, to step into it with a debugger. Off by default: the
    /// vendored libraries are optimised in every Cargo profile.
    pub fn debug(&mut self, on: bool) -> &mut Self {
        self.debug = on;
        self
    }

    /// Use this libzmq source tree instead of the one this package carries.
    /// The tree must be libzmq 4.3.x and hold `include/` and `src/`.
    pub fn source_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.source_dir = Some(dir.into());
        self
    }

    /// Put the build output here instead of `$OUT_DIR/libzmq`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Sets the optimisation of one `cc` build: the profile's own level
    /// when it is 2 or more (or `s`, `z`), else 2; or none at all, with
    /// debug information, when [`Build::debug`] asked for it.
    fn optimise(&self, build: &mut cc::Build) {
        if self.debug {
            build.opt_level(0).debug(true);
        } else if matches!(env::var("OPT_LEVEL").as_deref(), Ok("0" | "1") | Err(_)) {
            build.opt_level(2);
        }
    }

    /// Compile libzmq (and, with [`Build::curve`], libsodium) and print the
    /// `cargo:rustc-link-*` lines that link them statically into the crate
    /// whose build script calls this.
    ///
    /// # Errors
    /// A message that says what went wrong (source not usable, compiler
    /// failed) in words meant for the person running the build.
    pub fn build(&self) -> Result<Artifacts, String> {
        let target = Target::from_env()?;
        let source = self.source_dir.clone().unwrap_or_else(libzmq_source);
        check_source(&source)?;
        let root = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => {
                PathBuf::from(env::var("OUT_DIR").map_err(|_| "OUT_DIR is not set")?).join("libzmq")
            }
        };
        let include_dir = root.join("include");
        let lib_dir = root.join("lib");
        let config_dir = root.join("config");
        for dir in [&include_dir, &lib_dir, &config_dir] {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }

        if self.curve {
            self.build_libsodium(&target, &root, &lib_dir)
                .map_err(|e| {
                    format!(
                        "{e}\nCURVE needs libsodium, and this build does not go on without it. \
                         Build without the `curve` feature (--no-default-features) for a \
                         libzmq without CURVE, or install libzmq and let the build find it."
                    )
                })?;
        }
        self.build_libzmq(&target, &source, &root, &config_dir, &lib_dir)?;

        for header in ["zmq.h", "zmq_utils.h"] {
            let from = source.join("include").join(header);
            let to = include_dir.join(header);
            fs::copy(&from, &to).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }

        // Static libzmq needs the system libraries a shared one would have
        // brought along, the C++ runtime first; libsodium comes after
        // libzmq, which uses it.
        println!("cargo:rustc-link-search=native={}", lib_dir.display());
        println!("cargo:rustc-link-lib=static=zmq");
        if self.curve {
            println!("cargo:rustc-link-lib=static=sodium");
        }
        if let Some(runtime) = cxx_runtime() {
            println!("cargo:rustc-link-lib={runtime}");
        }
        if target.is_windows() {
            for lib in ["ws2_32", "iphlpapi", "advapi32", "rpcrt4"] {
                println!("cargo:rustc-link-lib={lib}");
            }
        } else if target.os == "linux" || target.os == "freebsd" {
            println!("cargo:rustc-link-lib=pthread");
        }

        Ok(Artifacts {
            include_dir,
            lib_dir,
            root,
            curve: self.curve,
            draft: self.draft,
            debug: self.debug,
        })
    }

    fn build_libzmq(
        &self,
        target: &Target,
        source: &Path,
        root: &Path,
        config_dir: &Path,
        lib_dir: &Path,
    ) -> Result<(), String> {
        let platform = platform::platform_hpp(target, self.draft, self.curve, &root.join("probes"));
        write_if_changed(&config_dir.join("platform.hpp"), &platform)?;

        let mut build = cc::Build::new();
        build
            .cpp(true)
            .warnings(false)
            .include(config_dir)
            .include(source.join("include"))
            .include(source.join("src"))
            .define("ZMQ_STATIC", None)
            // The link lines are printed by `build`, the same whether or
            // not this run compiles.
            .cargo_metadata(false)
            .out_dir(lib_dir);
        self.optimise(&mut build);
        if target.is_msvc() {
            build.flag("/EHsc").flag("/GL-");
            build.std("c++14");
        } else {
            build.std("c++11");
            build.flag_if_supported("-fvisibility=hidden");
        }
        if self.draft {
            build.define("ZMQ_BUILD_DRAFT_API", "1");
        }
        if self.curve {
            build.include(sodium::include_dir(&libsodium_source()));
            build.define("SODIUM_STATIC", "1");
        }

        let mut sources = Vec::new();
        let src = source.join("src");
        let entries =
            fs::read_dir(&src).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // wss_* need GnuTLS, which a static build cannot assume.
            if name.ends_with(".cpp") && !name.starts_with("wss_") {
                sources.push(path);
            }
        }
        sources.sort();
        build.files(&sources);

        // The two C files of external/ are compiled as C (a C++ compiler
        // rejects wepoll.c), into objects that join libzmq's archive.
        let mut c_build = cc::Build::new();
        c_build
            .cpp(false)
            .warnings(false)
            .include(config_dir)
            .cargo_metadata(false)
            .out_dir(lib_dir.join("c"));
        self.optimise(&mut c_build);
        let mut c_sources = vec![source.join("external/sha1/sha1.c")];
        if target.is_windows() {
            c_sources.push(source.join("external/wepoll/wepoll.c"));
        }
        c_build.files(&c_sources);

        // cc compiles every file on every run. The build script reruns
        // whenever one of the variables it watches changes, even one that
        // does not change this library; skip the compile when the same
        // configuration already produced the library.
        let stamp = format!(
            "{}{}",
            fingerprint(&build, &platform, &sources, source),
            fingerprint(&c_build, "", &c_sources, source)
        );
        compile_once(
            &root.join("zmq.stamp"),
            &stamp,
            &lib_dir.join(target.static_lib("zmq")),
            || {
                let objects = c_build
                    .try_compile_intermediates()
                    .map_err(|e| format!("compiling libzmq's C files failed: {e}"))?;
                build.objects(objects);
                build
                    .try_compile("zmq")
                    .map_err(|e| format!("compiling libzmq failed: {e}"))
            },
        )
    }

    fn build_libsodium(&self, target: &Target, root: &Path, lib_dir: &Path) -> Result<(), String> {
        let source = libsodium_source();
        let sources = sodium::sources(&source)
            .map_err(|e| format!("the libsodium source of this package is not usable: {e}"))?;
        let mut build = cc::Build::new();
        build
            .warnings(false)
            .cargo_metadata(false)
            .out_dir(lib_dir.join("sodium"));
        sodium::configure(&mut build, target, &source, &root.join("probes"));
        self.optimise(&mut build);
        build.files(&sources);
        let stamp = fingerprint(&build, "", &sources, &source);
        let lib = lib_dir.join(target.static_lib("sodium"));
        compile_once(&root.join("sodium.stamp"), &stamp, &lib, || {
            build
                .try_compile("sodium")
                .map_err(|e| format!("compiling libsodium failed: {e}"))?;
            // cc wrote the archive beside the objects; move it beside
            // libzmq's, where the link search path points.
            let built = lib_dir.join("sodium").join(target.static_lib("sodium"));
            fs::rename(&built, &lib)
                .map_err(|e| format!("cannot move {} to {}: {e}", built.display(), lib.display()))
        })
    }
}

/// Runs `compile` unless `output` exists and `stamp_file` holds `stamp`
/// (the same configuration produced it), then records `stamp`.
fn compile_once(
    stamp_file: &Path,
    stamp: &str,
    output: &Path,
    compile: impl FnOnce() -> Result<(), String>,
) -> Result<(), String> {
    if output.is_file() && fs::read_to_string(stamp_file).ok().as_deref() == Some(stamp) {
        return Ok(());
    }
    let _ = fs::remove_file(stamp_file);
    compile()?;
    fs::write(stamp_file, stamp).map_err(|e| format!("cannot write {}: {e}", stamp_file.display()))
}

/// The C++ runtime that a static C++ library needs on the target being
/// built, as `cc` links it: `CXXSTDLIB` (or its target-specific forms)
/// when set, an empty value meaning none; else `c++` on Apple, FreeBSD and
/// OpenBSD, `c++_shared` on Android, nothing with MSVC, `stdc++` elsewhere.
/// For build scripts; it prints `rerun-if-env-changed` for what it reads.
pub fn cxx_runtime() -> Option<String> {
    let target = env::var("TARGET").unwrap_or_default();
    for var in [
        format!("CXXSTDLIB_{target}"),
        format!("CXXSTDLIB_{}", target.replace('-', "_")),
        "TARGET_CXXSTDLIB".to_string(),
        "CXXSTDLIB".to_string(),
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        if let Ok(value) = env::var(&var) {
            return (!value.is_empty()).then_some(value);
        }
    }
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
        None
    } else if target.contains("apple") || os == "freebsd" || os == "openbsd" {
        Some("c++".into())
    } else if os == "android" {
        Some("c++_shared".into())
    } else {
        Some("stdc++".into())
    }
}

/// Everything that decides the compiled library: compiler and flags (as
/// `cc` resolved them from the environment), platform.hpp, the source
/// files and their sizes and modification times.
fn fingerprint(build: &cc::Build, platform: &str, sources: &[PathBuf], source: &Path) -> String {
    let mut out = String::new();
    // With its metadata on, cc prints `rerun-if-env-changed` for every
    // variable it reads (CXX_<target>, TARGET_CXXFLAGS, CPATH...), and no
    // link lines: the build script reruns when one of them changes.
    let mut watched = build.clone();
    watched.cargo_metadata(true);
    if let Ok(compiler) = watched.try_get_compiler() {
        let _ = writeln!(out, "compiler {}", compiler.path().display());
        for arg in compiler.args() {
            let _ = writeln!(out, "arg {}", arg.to_string_lossy());
        }
    }
    for var in ["TARGET", "OPT_LEVEL", "DEBUG", "PROFILE"] {
        let _ = writeln!(out, "env {var}={}", env::var(var).unwrap_or_default());
    }
    let _ = writeln!(out, "source {}", source.display());
    for file in sources {
        let meta = fs::metadata(file).ok();
        let len = meta.as_ref().map(|m| m.len()).unwrap_or(0);
        let mtime = meta
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let _ = writeln!(out, "file {} {len} {mtime}", file.display());
    }
    out.push_str(platform);
    out
}

fn check_source(dir: &Path) -> Result<(), String> {
    let header = dir.join("include").join("zmq.h");
    let text = fs::read_to_string(&header)
        .map_err(|e| format!("{} is not a libzmq source tree ({e})", dir.display()))?;
    if !text.contains("#define ZMQ_VERSION_MAJOR 4")
        || !text.contains("#define ZMQ_VERSION_MINOR 3")
    {
        return Err(format!("{} is not libzmq 4.3", header.display()));
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
