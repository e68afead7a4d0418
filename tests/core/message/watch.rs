//! A global allocator that reports when one watched allocation is freed, so
//! that a test can see that a buffer handed to libzmq is freed, exactly
//! once, with the layout it was allocated with (a wrong capacity gives
//! another size).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

struct Watching;

static WATCH_PTR: AtomicUsize = AtomicUsize::new(0);
static WATCH_SIZE: AtomicUsize = AtomicUsize::new(0);
static FREES: AtomicUsize = AtomicUsize::new(0);
static WATCH_LOCK: Mutex<()> = Mutex::new(());

impl Watching {
    fn note_free(ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCH_PTR.load(SeqCst) && layout.size() == WATCH_SIZE.load(SeqCst) {
            FREES.fetch_add(1, SeqCst);
        }
    }
}

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Watching::note_free(ptr, layout);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Watching::note_free(ptr, layout);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Watching = Watching;

/// Watches one allocation (pointer and size) until dropped. Tests that
/// watch are serialised by the lock. Sizes are odd and unique per test, so
/// that another thread's allocation is not mistaken for the watched one.
pub struct Watch {
    _lock: MutexGuard<'static, ()>,
}

impl Watch {
    pub fn new(ptr: *const u8, size: usize) -> Watch {
        let lock = WATCH_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        FREES.store(0, SeqCst);
        WATCH_SIZE.store(size, SeqCst);
        WATCH_PTR.store(ptr as usize, SeqCst);
        Watch { _lock: lock }
    }

    pub fn frees(&self) -> usize {
        FREES.load(SeqCst)
    }

    /// Waits (up to 5 s) for the buffer to be freed on another thread, then
    /// a little longer to catch a second free.
    pub fn wait_freed(&self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.frees() == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(50));
        self.frees()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        WATCH_PTR.store(0, SeqCst);
        WATCH_SIZE.store(0, SeqCst);
    }
}

/// A vector of `len` bytes (0, 1, 2...) in an allocation of `capacity`.
pub fn vec_with(len: usize, capacity: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(capacity);
    v.extend((0..len).map(|i| i as u8));
    assert_eq!(v.capacity(), capacity);
    v
}
