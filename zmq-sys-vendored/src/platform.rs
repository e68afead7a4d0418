//! What CMake's configure step would have found on the target: the
//! `platform.hpp` of a vendored libzmq, and the probes it needs.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::Target;

/// Compiles (and, with `link`, links) a tiny program to learn whether the
/// target has a header or a function. Linking matters for functions: a C
/// compiler accepts a call to an undeclared function with only a warning.
pub(crate) fn probe(out_dir: &Path, name: &str, code: &str, link: bool) -> bool {
    let file = out_dir.join(format!("probe_{name}.c"));
    if fs::create_dir_all(out_dir).is_err() || fs::write(&file, code).is_err() {
        return false;
    }
    let mut build = cc::Build::new();
    build.warnings(false).cargo_metadata(false);
    let Ok(compiler) = build.try_get_compiler() else {
        return false;
    };
    let mut cmd = compiler.to_command();
    let output = out_dir.join(format!("probe_{name}"));
    if compiler.is_like_msvc() {
        if !link {
            cmd.arg("/c");
        }
        cmd.arg(&file)
            .arg(format!("/Fo{}.obj", output.display()))
            .arg(format!("/Fe{}.exe", output.display()));
    } else {
        if !link {
            cmd.arg("-c");
        }
        cmd.arg(&file).arg("-o").arg(&output);
    }
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

/// The `platform.hpp` for a target: what CMake's configure step would have
/// found on that system.
pub(crate) fn platform_hpp(target: &Target, draft: bool, curve: bool, probe_dir: &Path) -> String {
    let mut defs: Vec<&str> = vec![
        "ZMQ_USE_CV_IMPL_STL11",
        "ZMQ_HAVE_NOEXCEPT",
        "ZMQ_USE_BUILTIN_SHA1",
        "ZMQ_HAVE_WS",
        "HAVE_STRNLEN",
    ];
    let mut values: Vec<(&str, &str)> = vec![("ZMQ_CACHELINE_SIZE", "64")];
    if curve {
        defs.extend(["ZMQ_HAVE_CURVE", "ZMQ_USE_LIBSODIUM", "SODIUM_STATIC"]);
    }
    if draft {
        defs.push("ZMQ_USE_RADIX_TREE");
    }

    if target.is_windows() {
        defs.extend([
            "ZMQ_HAVE_WINDOWS",
            "ZMQ_IOTHREAD_POLLER_USE_EPOLL",
            "ZMQ_POLL_BASED_ON_POLL",
            "HAVE_IF_NAMETOINDEX",
        ]);
        values.push(("_WIN32_WINNT", "0x0600"));
        // AF_UNIX exists on Windows 10 1803 and later, with an SDK that has
        // afunix.h. libzmq 4.3.5 includes afunix.h only when compiled by
        // MSVC (ipc_address.hpp, ipc_listener.cpp, ipc_connecter.cpp) and
        // wants <sys/socket.h> otherwise, so MinGW builds go without ipc.
        if target.is_msvc()
            && probe(
            probe_dir,
            "afunix",
            "#include <winsock2.h>\n#include <afunix.h>\nint main(void){SOCKET s = INVALID_SOCKET; (void)s; return AF_UNIX;}\n",
                false,
            )
        {
            defs.extend(["ZMQ_HAVE_IPC", "ZMQ_HAVE_STRUCT_SOCKADDR_UN"]);
        }
    } else {
        defs.extend([
            "ZMQ_HAVE_IPC",
            "ZMQ_HAVE_STRUCT_SOCKADDR_UN",
            "ZMQ_POLL_BASED_ON_POLL",
            "ZMQ_HAVE_PPOLL",
            "HAVE_FORK",
            "HAVE_CLOCK_GETTIME",
            "HAVE_MKDTEMP",
            "ZMQ_HAVE_UIO",
            "ZMQ_HAVE_IFADDRS",
            "ZMQ_HAVE_O_CLOEXEC",
            "ZMQ_HAVE_SO_KEEPALIVE",
            "ZMQ_HAVE_TCP_KEEPCNT",
            "ZMQ_HAVE_TCP_KEEPINTVL",
            "HAVE_IF_NAMETOINDEX",
        ]);
        values.push(("HAVE_POSIX_MEMALIGN", "1"));
    }

    if target.is_linux_like() {
        defs.extend([
            "ZMQ_IOTHREAD_POLLER_USE_EPOLL",
            "ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC",
            "ZMQ_HAVE_EVENTFD",
            "ZMQ_HAVE_EVENTFD_CLOEXEC",
            "ZMQ_HAVE_SOCK_CLOEXEC",
            "HAVE_ACCEPT4",
            "ZMQ_HAVE_SO_BINDTODEVICE",
            "ZMQ_HAVE_SO_PEERCRED",
            "ZMQ_HAVE_BUSY_POLL",
            "ZMQ_HAVE_SO_PRIORITY",
            "ZMQ_HAVE_TCP_KEEPIDLE",
            "ZMQ_HAVE_PTHREAD_SETNAME_2",
        ]);
        if target.os == "linux" {
            defs.push("ZMQ_HAVE_PTHREAD_SET_AFFINITY");
            if probe(
                probe_dir,
                "tipc",
                "#include <sys/socket.h>\n#include <linux/tipc.h>\nint main(void){struct sockaddr_tipc a; (void)a; return 0;}\n",
                false,
            ) {
                defs.push("ZMQ_HAVE_TIPC");
            }
        }
    } else if target.is_apple() {
        defs.extend([
            "ZMQ_IOTHREAD_POLLER_USE_KQUEUE",
            "ZMQ_HAVE_LOCAL_PEERCRED",
            "ZMQ_HAVE_TCP_KEEPALIVE",
            "ZMQ_HAVE_PTHREAD_SETNAME_1",
        ]);
    } else if target.is_bsd() {
        defs.extend([
            "ZMQ_IOTHREAD_POLLER_USE_KQUEUE",
            "ZMQ_HAVE_SOCK_CLOEXEC",
            "HAVE_ACCEPT4",
            "ZMQ_HAVE_LOCAL_PEERCRED",
            "ZMQ_HAVE_TCP_KEEPIDLE",
        ]);
        // pthread_set_name_np: FreeBSD, DragonFly and OpenBSD; NetBSD has
        // pthread_setname_np with a format argument, which libzmq does not
        // call, so its threads stay unnamed there.
        if target.os != "netbsd" {
            defs.push("ZMQ_HAVE_PTHREAD_SET_NAME");
        }
    } else if !target.is_windows() {
        // Another Unix: the portable choices only.
        defs.push("ZMQ_IOTHREAD_POLLER_USE_POLL");
    }

    let has_strlcpy = target.is_apple()
        || target.is_bsd()
        || target.os == "android"
        || target.env == "musl"
        || (!target.is_windows()
            && probe(
                probe_dir,
                "strlcpy",
                "#include <string.h>\nint main(void){char b[4]; return (int)strlcpy(b, \"ab\", sizeof b);}\n",
                true,
            ));
    if has_strlcpy {
        defs.push("ZMQ_HAVE_STRLCPY");
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "/* platform.hpp for {}, written by zmq-sys-vendored */",
        target.triple
    );
    out.push_str(
        "#ifndef __ZMQ_PLATFORM_HPP_INCLUDED__\n#define __ZMQ_PLATFORM_HPP_INCLUDED__\n\n",
    );
    for d in defs {
        let _ = writeln!(out, "#define {d}");
    }
    for (k, v) in values {
        let _ = writeln!(out, "#define {k} {v}");
    }
    // The OS identification block of libzmq's own platform.hpp.in.
    out.push_str(
        r#"
#ifdef _AIX
  #define ZMQ_HAVE_AIX
#endif
#if defined __ANDROID__
  #define ZMQ_HAVE_ANDROID
#endif
#if defined __CYGWIN__
  #define ZMQ_HAVE_CYGWIN
#endif
#if defined __MINGW32__
  #define ZMQ_HAVE_MINGW32
#endif
#if defined(__FreeBSD__) || defined(__FreeBSD_kernel__)
  #define ZMQ_HAVE_FREEBSD
#endif
#if defined(__DragonFly__)
  #define ZMQ_HAVE_FREEBSD
  #define ZMQ_HAVE_DRAGONFLY
#endif
#if defined __hpux
  #define ZMQ_HAVE_HPUX
#endif
#if defined __linux__
  #define ZMQ_HAVE_LINUX
#endif
#if defined __NetBSD__
  #define ZMQ_HAVE_NETBSD
#endif
#if defined __OpenBSD__
  #define ZMQ_HAVE_OPENBSD
#endif
#if defined __APPLE__
  #define ZMQ_HAVE_OSX
#endif
#if defined __QNXNTO__
  #define ZMQ_HAVE_QNXNTO
#endif
#if defined(sun) || defined(__sun)
  #define ZMQ_HAVE_SOLARIS
#endif

#endif
"#,
    );
    out
}
