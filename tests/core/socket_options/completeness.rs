//! The option table covers every socket option of zmq.h, and every
//! getter/setter pair is round-tripped by these tests.

use std::collections::BTreeSet;

/// `pub const ZMQ_X: i32 = N;` lines of a bindings file, from `first` to
/// `last` inclusive.
fn constants_between(bindings: &str, first: &str, last: &str) -> Vec<String> {
    let names: Vec<String> = bindings
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect();
    let start = names.iter().position(|n| n == first).expect(first);
    let end = names.iter().position(|n| n == last).expect(last);
    names[start..=end].to_vec()
}

/// The rows of the option table: (constant, getter, setter).
fn table_rows() -> Vec<(String, Option<String>, Option<String>)> {
    let table = [
        include_str!("../../../src/socket/options/stable.rs"),
        include_str!("../../../src/socket/options/draft.rs"),
    ]
    .concat();
    let mut rows = Vec::new();
    let mut lines = table.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some((name, rest)) = line.split_once(' ') else {
            continue;
        };
        if !name.starts_with("ZMQ_") || !rest.starts_with(&format!("\"{name}\" = ")) {
            continue;
        }
        let (mut getter, mut setter) = (None, None);
        for body in lines.by_ref() {
            if body == "}" {
                break;
            }
            let fn_name = body.split('(').next().unwrap().to_string();
            if body.contains("() ->") {
                getter = Some(fn_name);
            } else {
                setter = Some(fn_name);
            }
        }
        rows.push((name.to_string(), getter, setter));
    }
    rows
}

#[test]
fn the_table_covers_every_socket_option_of_zmq_h() {
    let stable = include_str!("../../../src/sys/bindings.rs");
    let draft = include_str!("../../../src/sys/bindings_draft.rs");

    let mut stable_options = constants_between(stable, "ZMQ_AFFINITY", "ZMQ_BINDTODEVICE");
    // Deprecated options that are not aliases of a current one.
    stable_options.extend(
        [
            "ZMQ_TCP_ACCEPT_FILTER",
            "ZMQ_IPC_FILTER_PID",
            "ZMQ_IPC_FILTER_UID",
            "ZMQ_IPC_FILTER_GID",
            "ZMQ_IPV4ONLY",
        ]
        .map(String::from),
    );
    for name in &stable_options {
        assert!(stable.contains(&format!("pub const {name}: i32")), "{name}");
    }
    let draft_options = constants_between(draft, "ZMQ_ZAP_ENFORCE_DOMAIN", "ZMQ_NORM_PUSH");

    // Left out on purpose, with the reason.
    let left_out = [
        (
            "ZMQ_BLOCKY",
            "a context option (zmq_ctx_set), not a socket option",
        ),
        (
            "ZMQ_IPV4ONLY",
            "deprecated inverse of ZMQ_IPV6, an alias of set_ipv6",
        ),
        (
            "ZMQ_CONNECT_ROUTING_ID",
            "set_connect_routing_id is written by hand (socket/guard.rs): it records the id",
        ),
    ];

    let rows = table_rows();
    let in_table: BTreeSet<&str> = rows.iter().map(|(n, _, _)| n.as_str()).collect();
    let all: BTreeSet<&str> = stable_options
        .iter()
        .chain(&draft_options)
        .map(String::as_str)
        .collect();
    let excluded: BTreeSet<&str> = left_out.iter().map(|(n, _)| *n).collect();

    let missing: Vec<_> = all
        .difference(&in_table)
        .filter(|n| !excluded.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "options missing from the table: {missing:?}"
    );
    let unknown: Vec<_> = in_table.difference(&all).collect();
    assert!(
        unknown.is_empty(),
        "table rows that are not options: {unknown:?}"
    );
    let both: Vec<_> = in_table.intersection(&excluded).collect();
    assert!(both.is_empty(), "left out but in the table: {both:?}");

    let covered_stable = stable_options
        .iter()
        .filter(|n| in_table.contains(n.as_str()))
        .count();
    let covered_draft = draft_options
        .iter()
        .filter(|n| in_table.contains(n.as_str()))
        .count();
    println!(
        "stable: {covered_stable} of {} covered; draft: {covered_draft} of {} covered",
        stable_options.len(),
        draft_options.len()
    );
    assert_eq!(covered_stable + left_out.len(), stable_options.len());
    assert_eq!(covered_draft, draft_options.len());
}

#[test]
fn every_getter_setter_pair_is_round_tripped_here() {
    // The files of this test that call `roundtrip!`.
    let tests = [include_str!("mod.rs"), include_str!("draft.rs")].concat();
    let compact: String = tests.split_whitespace().collect();
    let mut untested = Vec::new();
    for (name, getter, setter) in table_rows() {
        if let (Some(getter), Some(setter)) = (getter, setter) {
            // Written `roundtrip!(s, set_x, x, ...)` (rustfmt may break the
            // line after any comma).
            if !compact.contains(&format!("{setter},{getter},")) {
                untested.push(name);
            }
        }
    }
    assert!(untested.is_empty(), "no round trip for {untested:?}");
}
