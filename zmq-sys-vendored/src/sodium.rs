//! libsodium, for CURVE: compiled from the source this package carries
//! (`libsodium/`, the 1.0.22 stable release's `src/libsodium`), with `cc`,
//! into a static library beside libzmq's.
//!
//! libsodium's own build runs `configure` (or MSBuild on Windows); what it
//! would find is written down here per target instead, as the defines its
//! sources test. With MSVC, libsodium's `private/common.h` configures
//! itself, so little is needed there. The x86_64 assembly variants are left
//! out (they are GNU assembler files); the C and intrinsics ones, chosen at
//! run time by CPU, cover the same functions.

use std::fs;
use std::path::{Path, PathBuf};

use crate::platform::probe;
use crate::Target;

/// The directory holding `sodium.h` (and `sodium/`).
pub(crate) fn include_dir(source: &Path) -> PathBuf {
    source.join("src").join("libsodium").join("include")
}

/// Every C file of libsodium, sorted, for a stable build order.
pub(crate) fn sources(source: &Path) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries =
            fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "c") {
                out.push(path);
            }
        }
        Ok(())
    }
    let root = source.join("src").join("libsodium");
    let mut files = Vec::new();
    walk(&root, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(format!("no libsodium C source under {}", root.display()));
    }
    Ok(files)
}

/// Sets up `build` to compile libsodium for `target`.
pub(crate) fn configure(build: &mut cc::Build, target: &Target, source: &Path, probe_dir: &Path) {
    let root = source.join("src").join("libsodium");
    build
        .cpp(false)
        .include(include_dir(source))
        // The sources include their private headers as "private/..." and
        // the public ones by bare name.
        .include(root.join("include").join("sodium"))
        .define("CONFIGURED", "1")
        .define("SODIUM_STATIC", "1");
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    build.define(
        if big_endian {
            "NATIVE_BIG_ENDIAN"
        } else {
            "NATIVE_LITTLE_ENDIAN"
        },
        "1",
    );
    if target.is_msvc() {
        // private/common.h defines the intrinsics headers and CPU
        // features for MSVC itself.
        build.define("_CRT_SECURE_NO_WARNINGS", None);
        return;
    }

    // GCC and Clang, on every system.
    for flag in [
        "-fvisibility=hidden",
        "-fno-strict-aliasing",
        "-fno-strict-overflow",
        "-fwrapv",
        "-flax-vector-conversions",
    ] {
        build.flag_if_supported(flag);
    }
    for def in [
        "HAVE_INLINE_ASM",
        "HAVE_ATOMIC_OPS",
        "HAVE_C11_MEMORY_FENCES",
        "HAVE_GCC_MEMORY_FENCES",
        "HAVE_STDINT_H",
        "HAVE_INTTYPES_H",
    ] {
        build.define(def, "1");
    }
    let pointer_width = std::env::var("CARGO_CFG_TARGET_POINTER_WIDTH").unwrap_or_default();
    if pointer_width == "64" {
        // 128-bit integers: the 64-bit field arithmetic of Curve25519.
        build.define("HAVE_TI_MODE", "1");
    }
    match target.arch.as_str() {
        "x86_64" | "x86" => {
            for def in [
                "HAVE_CPUID",
                "HAVE_XGETBV_ASM",
                "HAVE_MMINTRIN_H",
                "HAVE_EMMINTRIN_H",
                "HAVE_PMMINTRIN_H",
                "HAVE_TMMINTRIN_H",
                "HAVE_SMMINTRIN_H",
                "HAVE_AVXINTRIN_H",
                "HAVE_AVX2INTRIN_H",
                "HAVE_AVX512FINTRIN_H",
                "HAVE_WMMINTRIN_H",
                "HAVE_RDRAND",
            ] {
                build.define(def, "1");
            }
        }
        "aarch64" => {
            build.define("HAVE_ARMCRYPTO", "1");
        }
        _ => {}
    }

    if target.is_windows() {
        // MinGW: randomness from RtlGenRandom, locks from the Win32 API.
        return;
    }

    // Every Unix.
    for def in [
        "HAVE_PTHREAD",
        "HAVE_SYS_MMAN_H",
        "HAVE_MMAP",
        "HAVE_MLOCK",
        "HAVE_MADVISE",
        "HAVE_MPROTECT",
        "HAVE_POSIX_MEMALIGN",
        "HAVE_NANOSLEEP",
        "HAVE_SYSCONF",
        "HAVE_GETPID",
        "HAVE_RAISE",
        "HAVE_SYS_PARAM_H",
    ] {
        build.define(def, "1");
    }
    build.define("TLS", "_Thread_local");
    if target.is_apple() || target.os == "linux" || target.is_bsd() || target.os == "android" {
        build.define("HAVE_WEAK_SYMBOLS", "1");
    }

    if target.is_linux_like() {
        build.define("_GNU_SOURCE", "1");
        build.define("HAVE_SYS_AUXV_H", "1");
        build.define("HAVE_GETAUXVAL", "1");
        // glibc 2.25 and musl 1.1.20 have getrandom(); older ones get the
        // raw system call, which libsodium falls back to by itself.
        if probe(
            probe_dir,
            "getrandom",
            "#include <sys/random.h>\nint main(void){unsigned char b[4]; return (int)getrandom(b, sizeof b, 0) < 0;}\n",
            true,
        ) {
            build.define("HAVE_SYS_RANDOM_H", "1");
            build.define("HAVE_GETRANDOM", "1");
        }
    } else if target.is_apple() {
        for def in [
            "HAVE_ARC4RANDOM",
            "HAVE_ARC4RANDOM_BUF",
            "HAVE_GETENTROPY",
            "HAVE_SYS_RANDOM_H",
            "HAVE_MEMSET_S",
        ] {
            build.define(def, "1");
        }
    } else if target.is_bsd() {
        build.define("HAVE_ARC4RANDOM", "1");
        build.define("HAVE_ARC4RANDOM_BUF", "1");
    }
    if probe(
        probe_dir,
        "explicit_bzero",
        "#include <string.h>\nint main(void){char b[4]; explicit_bzero(b, sizeof b); return 0;}\n",
        true,
    ) {
        build.define("HAVE_EXPLICIT_BZERO", "1");
    }
}
