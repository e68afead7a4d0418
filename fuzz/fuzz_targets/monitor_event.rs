//! Monitor events arrive as frames on a socket, in format 1 or 2: parsing
//! either never panics, and what parses is consistent with its frames.
//!
//! The input is frames (see `zmq4_fuzz::frames`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq4::MonitorEvent;

fn inspect(event: &MonitorEvent) {
    let _ = format!("{event} {event:?} {:?}", event.kind());
    let _ = (event.endpoint(), event.remote(), event.values());
}

fuzz_target!(|data: &[u8]| {
    let frames = zmq4_fuzz::frames(data);
    if let Ok(event) = MonitorEvent::parse_v1(&frames) {
        assert_eq!(frames.len(), 2);
        assert_eq!(event.values().len(), 1);
        assert!(event.remote().is_none());
        inspect(&event);
    }
    if let Ok(event) = MonitorEvent::parse_v2(&frames) {
        assert_eq!(event.values().len() + 4, frames.len());
        assert!(event.remote().is_some());
        inspect(&event);
    }
});
