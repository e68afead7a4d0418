//! The ZPL reader on texts no file test needs to write, the value rule of
//! `zpl_value`, the file text `render` writes read back, and the date in
//! its header.

use std::time::{Duration, UNIX_EPOCH};

use super::*;

/// The server key pair of the CURVE example in RFC 26.
const PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
const SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

fn pair() -> Certificate {
    let public = CurveKey::from_z85(PUBLIC).unwrap();
    let secret = CurveSecretKey::from_z85(SECRET).unwrap();
    Certificate::from_key_pair(CurveKeyPair::from_checked(public, secret))
}

fn parse_err(text: &str) -> Error {
    Certificate::parse(text).unwrap_err()
}

#[test]
fn zpl_values_are_quoted_or_end_at_a_comment() {
    let cases = [
        ("\"quoted value\"", "quoted value"),
        ("'single quoted'", "single quoted"),
        ("  \"  spaces kept inside  \"  ", "  spaces kept inside  "),
        ("\"a\" # after the quote", "a"),
        ("\"a\"trailing text", "a"),
        ("'it\"s'", "it\"s"),
        ("\"it's\"", "it's"),
        ("\"\"", ""),
        ("unquoted", "unquoted"),
        ("  unquoted, trimmed  ", "unquoted, trimmed"),
        ("two words", "two words"),
        ("value # a comment", "value"),
        ("value\t# a comment after a tab", "value"),
        ("a#b", "a#b"),
        ("key#with#hashes # comment", "key#with#hashes"),
        ("a=b", "a=b"),
        // An opening quote with no closing one is text like any other.
        ("\"unterminated", "\"unterminated"),
        ("'", "'"),
        ("", ""),
    ];
    for (raw, value) in cases {
        assert_eq!(zpl_value(raw), value, "{raw:?}");
    }
}

#[test]
fn comments_blank_lines_and_crlf_are_skipped() {
    let text = format!(
        "#   ****  Generated on 2024-01-01 12:00:00 by someone  ****\r\n\
         \r\n\
         \x20  \t \r\n\
         metadata\r\n\
         \x20   # a comment inside a section\r\n\
         \x20   name = \"server\"\r\n\
         curve\r\n\
         # a comment at the left edge between entries\r\n\
         \x20   public-key = \"{PUBLIC}\"\r\n"
    );
    let cert = Certificate::parse(&text).unwrap();
    assert_eq!(cert.public().to_z85(), PUBLIC);
    assert_eq!(cert.metadata_value("name"), Some("server"));
    assert_eq!(cert.metadata().len(), 1);
    assert!(cert.secret().is_none());
}

#[test]
fn a_tab_or_a_shallower_indentation_is_one_level() {
    for indent in ["\t", " ", "  ", "   ", "    "] {
        let text = format!("curve\n{indent}public-key = {PUBLIC}\n");
        let cert = Certificate::parse(&text).unwrap();
        assert_eq!(cert.public().to_z85(), PUBLIC, "{indent:?}");
    }
}

#[test]
fn a_line_deeper_than_its_section_is_refused_with_its_number() {
    for (text, line) in [
        (format!("    curve\n    public-key = {PUBLIC}\n"), 1),
        (format!("# c\n\ncurve\n        public-key = {PUBLIC}\n"), 4),
        (format!("curve\n\t\tpublic-key = {PUBLIC}\n"), 2),
    ] {
        let err = parse_err(&text);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
        let detail = err.detail().unwrap();
        assert!(detail.contains(&format!("line {line} ")), "{detail}");
        assert!(detail.contains("indented deeper"), "{detail}");
    }
}

#[test]
fn keys_are_read_from_curve_only_at_the_first_level() {
    let missing = [
        String::new(),
        "# only a comment\n".to_owned(),
        format!("public-key = \"{PUBLIC}\"\n"),
        format!("metadata\n    public-key = \"{PUBLIC}\"\n"),
        format!("curve\n    nested\n        public-key = \"{PUBLIC}\"\n"),
        format!("curves\n    public-key = \"{PUBLIC}\"\n"),
        // A bare name is a section, not an entry with a value.
        "curve\n    public-key\n".to_owned(),
    ];
    for text in &missing {
        let err = parse_err(text);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
        assert!(
            err.detail().unwrap().contains("no `public-key`"),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn a_malformed_public_key_is_refused_saying_which_key() {
    for (value, why) in [
        (&PUBLIC[..39], "40"),
        ("", "40"),
        ("~q:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "alphabet"),
    ] {
        let text = format!("curve\n    public-key = \"{value}\"\n");
        let err = parse_err(&text);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{value:?}");
        let detail = err.detail().unwrap();
        assert!(detail.starts_with("public-key: "), "{detail}");
        assert!(detail.contains(why), "{detail}");
    }
}

#[test]
fn a_malformed_secret_key_is_refused_without_showing_it() {
    let almost = &SECRET[..39];
    for value in [almost, "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6~"] {
        let text = format!("curve\n    public-key = \"{PUBLIC}\"\n    secret-key = \"{value}\"\n");
        let err = parse_err(&text);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let detail = err.detail().unwrap();
        assert!(detail.starts_with("secret-key: "), "{detail}");
        assert!(!err.to_string().contains(almost), "{err}");
    }
}

#[test]
fn a_hash_inside_an_unquoted_key_is_part_of_the_key() {
    // '#' is the 85th Z85 digit: the group [0, 0, 0, 84] is "0000#".
    let mut bytes = [0u8; 32];
    bytes[3] = 84;
    let key = CurveKey::new(bytes);
    let text = key.to_z85();
    assert!(text.starts_with("0000#"), "{text}");
    let cert = Certificate::parse(&format!("curve\n    public-key = {text} # the key\n")).unwrap();
    assert_eq!(cert.public(), &key);
}

#[test]
fn metadata_is_the_entries_directly_under_metadata_in_file_order() {
    let text = format!(
        "metadata\n\
         \x20   name = server\n\
         \x20   url = \"tcp://host:5555?x=1\"\n\
         \x20   bare-section\n\
         \x20       deep = not metadata\n\
         \x20   empty = \"\"\n\
         \x20   note = 'say \"hi\"' # who wrote this\n\
         curve\n\
         \x20   public-key = \"{PUBLIC}\"\n\
         \x20   name = not metadata either\n"
    );
    let cert = Certificate::parse(&text).unwrap();
    let expected = [
        ("name", "server"),
        ("url", "tcp://host:5555?x=1"),
        ("empty", ""),
        ("note", "say \"hi\""),
    ];
    let got: Vec<(&str, &str)> = cert
        .metadata()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(cert.metadata_value("deep"), None);
}

#[test]
fn the_secret_file_text_reads_back_as_the_same_certificate() {
    let cert = pair()
        .with_metadata("name", "server one")
        .with_metadata("role", "  spaced, # not a comment = still text ");
    let text = cert.render(true);
    assert_eq!(text.matches(SECRET).count(), 1, "{text}");
    assert!(text.contains("**Secret**"), "{text}");
    let back = Certificate::parse(&text).unwrap();
    assert_eq!(back, cert);
    assert_eq!(back.key_pair().unwrap().secret().to_z85(), SECRET);
}

#[test]
fn the_public_file_text_has_no_secret_and_reads_back_without_one() {
    let cert = pair().with_metadata("name", "server");
    let text = cert.render(false);
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("secret-key"), "{text}");
    assert!(!text.contains("**Secret**"), "{text}");
    assert!(text.contains(PUBLIC), "{text}");
    let back = Certificate::parse(&text).unwrap();
    assert_eq!(back.public(), cert.public());
    assert!(back.secret().is_none());
    assert_eq!(back.metadata(), cert.metadata());
    // A certificate without a secret writes the same public text.
    let public_only =
        Certificate::from_public(cert.public().clone()).with_metadata("name", "server");
    assert!(public_only
        .render(true)
        .lines()
        .all(|l| !l.contains("secret-key")));
}

#[test]
fn metadata_that_zpl_cannot_hold_is_written_so_that_it_reads_back() {
    let cert = Certificate::from_public(CurveKey::from_z85(PUBLIC).unwrap())
        .with_metadata("a name:with spaces", "line one\r\nline \"two\"")
        .with_metadata("ok$-_@.&+/9", "'single'");
    assert_eq!(
        cert.metadata(),
        [
            (
                "a_name_with_spaces".to_owned(),
                "line one  line 'two'".to_owned()
            ),
            ("ok$-_@.&+/9".to_owned(), "'single'".to_owned()),
        ]
    );
    let back = Certificate::parse(&cert.render(false)).unwrap();
    assert_eq!(back.metadata(), cert.metadata());
}

#[test]
fn the_header_says_when_it_was_written() {
    let text = pair().render(false);
    let first = text.lines().next().unwrap();
    let stamp = first
        .strip_prefix("#   ****  Generated on ")
        .and_then(|rest| rest.strip_suffix(" by zmq4  ****"))
        .unwrap_or_else(|| panic!("{first:?}"));
    assert_eq!(stamp.len(), "2024-01-01 12:00:00".len(), "{stamp}");
    assert!(
        stamp.as_bytes()[..4].iter().all(u8::is_ascii_digit),
        "{stamp}"
    );
    assert!(stamp >= "2024", "{stamp}");
}

#[test]
fn timestamps_are_utc_dates_and_times() {
    let at = |secs: u64| timestamp(UNIX_EPOCH + Duration::from_secs(secs));
    let cases = [
        (0, "1970-01-01 00:00:00"),
        (59, "1970-01-01 00:00:59"),
        (86_399, "1970-01-01 23:59:59"),
        (68_256_000, "1972-03-01 00:00:00"),
        (946_684_799, "1999-12-31 23:59:59"),
        (951_782_400, "2000-02-29 00:00:00"),
        (1_234_567_890, "2009-02-13 23:31:30"),
        (1_709_210_096, "2024-02-29 12:34:56"),
        (2_147_483_648, "2038-01-19 03:14:08"),
        (253_402_300_799, "9999-12-31 23:59:59"),
    ];
    for (secs, text) in cases {
        assert_eq!(at(secs), text, "{secs}");
    }
    // Sub-second parts are dropped; a clock before 1970 reads as 1970.
    assert_eq!(
        timestamp(UNIX_EPOCH + Duration::from_millis(1_999)),
        "1970-01-01 00:00:01"
    );
    assert_eq!(
        timestamp(UNIX_EPOCH - Duration::from_secs(1)),
        "1970-01-01 00:00:00"
    );
}

#[test]
fn every_day_from_1970_to_2400_is_the_next_calendar_day() {
    // An independent calendar: count the days month by month.
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let (mut year, mut month, mut day) = (1970u64, 1u64, 1u64);
    let mut secs = 12 * 3600 + 34 * 60 + 56;
    while year < 2400 {
        let expected = format!("{year:04}-{month:02}-{day:02} 12:34:56");
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(secs)), expected);
        secs += 86_400;
        let days_in_month = match month {
            2 if leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        day += 1;
        if day > days_in_month {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
}

#[test]
fn io_errors_become_the_nearest_kind_naming_the_path() {
    let path = Path::new("certs/server.key");
    for (io_kind, kind) in [
        (io::ErrorKind::NotFound, ErrorKind::NotFound),
        (io::ErrorKind::PermissionDenied, ErrorKind::PermissionDenied),
        (io::ErrorKind::InvalidData, ErrorKind::InvalidArgument),
        (io::ErrorKind::AlreadyExists, ErrorKind::Other),
        (io::ErrorKind::Other, ErrorKind::Other),
    ] {
        let err = io_error(io::Error::new(io_kind, "it went wrong"), path);
        assert_eq!(err.kind(), kind, "{io_kind:?}");
        assert_eq!(
            err.detail(),
            Some("certs/server.key: it went wrong"),
            "{io_kind:?}"
        );
    }
}
