//! [`RawMessage`]: an initialised `zmq_msg_t`, and the conversions that
//! hand libzmq a Rust buffer without copying it.

use std::ffi::CStr;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::os::raw::{c_int, c_void};
use std::ptr;

use crate::sys::{cvt, ffi, Errno};

/// An initialised `zmq_msg_t`, closed when dropped (`zmq_msg_close`).
///
/// The struct is never zero-filled: it stays uninitialised until a
/// `zmq_msg_init*` call writes it, as C code does. Every safe method keeps
/// it initialised, and no safe method exposes bytes that were never
/// written: a message whose content is left as allocated can only be made
/// through the `unsafe` [`with_size_uninit`](RawMessage::with_size_uninit).
#[repr(transparent)]
pub(crate) struct RawMessage(ffi::zmq_msg_t);

// SAFETY: a zmq_msg_t owns its content, or shares it through libzmq's
// atomic reference count, so it may move between threads; libzmq moves
// messages between threads itself when it queues them.
unsafe impl Send for RawMessage {}
// SAFETY: every method reachable through `&RawMessage` only reads the
// message (size, data, flags, properties) or, for `copy_shared`, updates
// atomic reference counts outside the struct.
unsafe impl Sync for RawMessage {}

/// The free function for buffers adopted from a `Vec<u8>`: `data` is the
/// vector's pointer and `hint` carries its capacity (as an integer, so no
/// allocation is needed to remember it).
///
/// libzmq calls it exactly once, from whichever thread drops the last
/// reference (often its I/O thread); a `Vec<u8>` may be freed from any
/// thread. A panic (possible only in a custom global allocator) must not
/// unwind into C, so it aborts.
unsafe extern "C" fn free_vec(data: *mut c_void, hint: *mut c_void) {
    let capacity = hint.addr();
    let freed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `data` and `capacity` are the pointer and capacity of a
        // Vec<u8> that `from_vec` gave up to libzmq, which calls this once
        // per buffer. Length 0 is valid (<= capacity) and u8 needs no drop,
        // so this rebuilds the allocation with its real layout and frees it.
        drop(unsafe { Vec::from_raw_parts(data.cast::<u8>(), 0, capacity) });
    }));
    if freed.is_err() {
        std::process::abort();
    }
}

/// The free function for a message that adopted an owner of type `T`
/// ([`RawMessage::from_owner`]): `hint` is the owner's box. Called once,
/// from any thread; a panic in `T`'s drop must not unwind into C, so it
/// aborts.
#[cfg(feature = "bytes")]
unsafe extern "C" fn free_owner<T>(_data: *mut c_void, hint: *mut c_void) {
    let freed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `hint` is the pointer `from_owner` took from
        // Box::into_raw for this very message, and libzmq calls the free
        // function exactly once per content, so the box is rebuilt once.
        drop(unsafe { Box::from_raw(hint.cast::<T>()) });
    }));
    if freed.is_err() {
        std::process::abort();
    }
}

impl RawMessage {
    /// An empty message (`zmq_msg_init`).
    #[inline]
    pub(crate) fn new() -> RawMessage {
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init writes the whole struct and cannot fail (it
        // always returns 0).
        unsafe {
            ffi::zmq_msg_init(msg.as_mut_ptr());
            RawMessage(msg.assume_init())
        }
    }

    /// Initialises `slot` as a message of `len` bytes whose content is left
    /// as libzmq allocated it (`zmq_msg_init_size` alone, in place: the
    /// 64-byte struct is not moved afterwards).
    ///
    /// # Safety
    /// The content is uninitialised memory: nothing may read it (through
    /// [`as_bytes`](Self::as_bytes) or anything built on it) before every
    /// byte was written through a raw pointer. Sending it unread is fine:
    /// libzmq copies it as plain memory. On error `slot` is left
    /// uninitialised.
    #[inline(always)]
    pub(crate) unsafe fn init_size_uninit(
        slot: &mut MaybeUninit<RawMessage>,
        len: usize,
    ) -> Result<(), Errno> {
        // RawMessage is a transparent zmq_msg_t.
        let raw = slot.as_mut_ptr().cast::<ffi::zmq_msg_t>();
        // SAFETY: `raw` points at writable, suitably aligned memory for a
        // zmq_msg_t, which zmq_msg_init_size initialises on success.
        cvt(unsafe { ffi::zmq_msg_init_size(raw, len) }).map(drop)
    }

    /// A message of `len` bytes whose content is not written.
    ///
    /// # Safety
    /// As for [`init_size_uninit`](Self::init_size_uninit).
    #[inline]
    pub(crate) unsafe fn with_size_uninit(len: usize) -> Result<RawMessage, Errno> {
        let mut slot = MaybeUninit::uninit();
        // SAFETY: the caller takes over the contract on the content; on
        // success the slot is initialised.
        unsafe {
            Self::init_size_uninit(&mut slot, len)?;
            Ok(slot.assume_init())
        }
    }

    /// A message of `len` bytes built in `slot`, zeroed, then written by
    /// `fill`; it stays in `slot` until it is sent or dropped: the 64-byte
    /// struct is never moved. If `fill` panics, the message is closed.
    #[inline(always)]
    pub(crate) fn place_filled(
        slot: &mut MaybeUninit<RawMessage>,
        len: usize,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<Placed<'_>, Errno> {
        // SAFETY: every byte of the content is zeroed below, before
        // anything can read it.
        unsafe { Self::init_size_uninit(slot, len)? };
        // SAFETY: init_size_uninit succeeded, so the slot holds an
        // initialised message, which `Placed` closes unless it is sent
        // (on a panic in `fill` too).
        let placed = Placed(unsafe { slot.assume_init_mut() });
        if len == 0 {
            fill(&mut []);
        } else {
            // SAFETY: the new message has `len` bytes of private content at
            // zmq_msg_data (made by zmq_msg_init_size, shared with nothing;
            // inside the struct for a small one, which `slot` keeps in
            // place), all zeroed before the slice is made; the slice is
            // gone before `placed` is returned or dropped.
            let bytes = unsafe {
                let data = ffi::zmq_msg_data(placed.0.as_mut_ptr()).cast::<u8>();
                ptr::write_bytes(data, 0, len);
                std::slice::from_raw_parts_mut(data, len)
            };
            fill(bytes);
        }
        Ok(placed)
    }

    /// A message holding a copy of `data`.
    #[inline]
    pub(crate) fn copy_from(data: &[u8]) -> Result<RawMessage, Errno> {
        // SAFETY: every byte of the content is written below, before
        // anything can read it.
        let mut msg = unsafe { Self::with_size_uninit(data.len())? };
        if !data.is_empty() {
            // SAFETY: the new message has exactly data.len() bytes of
            // private content at zmq_msg_data, which cannot overlap `data`.
            unsafe {
                let dst = ffi::zmq_msg_data(msg.as_mut_ptr()).cast::<u8>();
                ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
            }
        }
        Ok(msg)
    }

    /// A message of `len` zero bytes.
    pub(crate) fn zeroed(len: usize) -> Result<RawMessage, Errno> {
        // SAFETY: every byte of the content is written below, before
        // anything can read it.
        let mut msg = unsafe { Self::with_size_uninit(len)? };
        if len != 0 {
            // SAFETY: the new message has `len` bytes of private content
            // at zmq_msg_data.
            unsafe { ptr::write_bytes(ffi::zmq_msg_data(msg.as_mut_ptr()).cast::<u8>(), 0, len) };
        }
        Ok(msg)
    }

    /// A message over the vector's buffer, without copying or
    /// reallocating it (`zmq_msg_init_data` with a free function that
    /// rebuilds the vector). On failure the vector comes back, untouched.
    pub(crate) fn from_vec(data: Vec<u8>) -> Result<RawMessage, (Vec<u8>, Errno)> {
        let mut data = ManuallyDrop::new(data);
        let (ptr, len, capacity) = (data.as_mut_ptr(), data.len(), data.capacity());
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: once given up (ManuallyDrop) the buffer stays valid for
        // `len` bytes until libzmq calls free_vec with it and the capacity,
        // which frees it as Vec would; free_vec may run on any thread (a
        // Vec<u8> is Send) and never unwinds. On success the struct is
        // initialised.
        let rc = unsafe {
            ffi::zmq_msg_init_data(
                msg.as_mut_ptr(),
                ptr.cast(),
                len,
                Some(free_vec),
                ptr::without_provenance_mut(capacity),
            )
        };
        if rc == -1 {
            let errno = Errno::last();
            // zmq_msg_init_data failed (ENOMEM for its descriptor): libzmq
            // kept no pointer and will never call free_vec, so the buffer
            // is still ours, exactly once.
            return Err((ManuallyDrop::into_inner(data), errno));
        }
        // SAFETY: initialised by the successful call above.
        Ok(RawMessage(unsafe { msg.assume_init() }))
    }

    /// A read-only message over the bytes `owner` holds, without copying
    /// them: `owner` is boxed (so the bytes it points to, even inside
    /// itself, stay where they are), its bytes are taken once, and libzmq
    /// drops the box when the last reference to the message goes. The
    /// message is marked shared, so nothing ever writes the bytes (the
    /// owner may share them with others, as `bytes::Bytes` clones do).
    /// On failure the owner comes back.
    #[cfg(feature = "bytes")]
    pub(crate) fn from_owner<T: AsRef<[u8]> + Send + 'static>(
        owner: T,
    ) -> Result<RawMessage, (T, Errno)> {
        let owner = Box::into_raw(Box::new(owner));
        // SAFETY: `owner` is a live box that only this function and, later,
        // free_owner use; the shared borrow ends before anything else
        // touches it.
        let data = unsafe { (*owner).as_ref() };
        let (ptr, len) = (data.as_ptr(), data.len());
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: the bytes are the boxed owner's and stay valid and
        // unchanged until free_owner drops the box: the box is never moved
        // or used meanwhile, and `T: 'static` holds no borrow that could
        // end. free_owner may run on any thread (`T: Send`) and never
        // unwinds. libzmq only reads through the pointer, and the message
        // is marked shared below before anyone can write through it.
        let rc = unsafe {
            ffi::zmq_msg_init_data(
                msg.as_mut_ptr(),
                ptr.cast_mut().cast(),
                len,
                Some(free_owner::<T>),
                owner.cast(),
            )
        };
        if rc == -1 {
            let errno = Errno::last();
            // libzmq kept no pointer and will never call free_owner: the
            // box is still ours, exactly once.
            // SAFETY: from Box::into_raw above, not freed.
            return Err((*unsafe { Box::from_raw(owner) }, errno));
        }
        // SAFETY: initialised by the successful call above.
        let mut adopted = RawMessage(unsafe { msg.assume_init() });
        // A copy marks the content shared (libzmq never clears the mark),
        // so as_bytes_mut refuses it; dropping the original leaves the
        // copy as the only reference.
        Ok(adopted.share())
    }

    /// A constant message over static data, without copying it. libzmq
    /// keeps a pointer to `data`, only reads through it and never frees
    /// it; the message reports itself shared, so it is never written.
    pub(crate) fn from_static(data: &'static [u8]) -> Result<RawMessage, Errno> {
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: without a free function libzmq makes a constant message
        // pointing at `data`, which stays valid and unchanged for ever
        // ('static shared borrow). libzmq only reads through that pointer,
        // and `as_bytes_mut` refuses a constant message (ZMQ_SHARED is 1).
        cvt(unsafe {
            ffi::zmq_msg_init_data(
                msg.as_mut_ptr(),
                data.as_ptr().cast_mut().cast(),
                data.len(),
                None,
                ptr::null_mut(),
            )
        })?;
        // SAFETY: initialised by the successful call above.
        Ok(RawMessage(unsafe { msg.assume_init() }))
    }

    /// The `zmq_msg_t *` for a libzmq call of the raw layer.
    #[inline(always)]
    pub(crate) fn as_mut_ptr(&mut self) -> *mut ffi::zmq_msg_t {
        &mut self.0
    }

    /// The `const zmq_msg_t *` for a libzmq call of the raw layer.
    #[inline(always)]
    pub(crate) fn as_ptr(&self) -> *const ffi::zmq_msg_t {
        &self.0
    }

    /// The length of the content (`zmq_msg_size`).
    #[inline]
    pub(crate) fn size(&self) -> usize {
        // SAFETY: the message is initialised; zmq_msg_size only reads it.
        unsafe { ffi::zmq_msg_size(self.as_ptr()) }
    }

    /// The address of the content (`zmq_msg_data`), not to be read through
    /// by the caller: use [`as_bytes`](Self::as_bytes).
    #[inline]
    pub(crate) fn data_addr(&self) -> usize {
        // SAFETY: the message is initialised; zmq_msg_data only reads it
        // (the C signature lacks const only).
        unsafe { ffi::zmq_msg_data(self.as_ptr().cast_mut()) }.addr()
    }

    /// The content.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        let size = self.size();
        if size == 0 {
            return &[];
        }
        // SAFETY: the message is initialised and its content was written
        // (only `with_size_uninit`, an unsafe fn, makes it otherwise, and
        // its caller promises to write it first). zmq_msg_data does not
        // change the message; the pointer is valid for `size` bytes while
        // the message is alive and unchanged, which the borrow guarantees.
        unsafe {
            let data = ffi::zmq_msg_data(self.as_ptr().cast_mut());
            std::slice::from_raw_parts(data.cast::<u8>(), size)
        }
    }

    /// Whether the content may be seen by other messages (`ZMQ_SHARED`):
    /// shared by `zmq_msg_copy` or libzmq's fan-out, or constant. libzmq
    /// never clears the mark.
    #[inline]
    pub(crate) fn is_shared(&self) -> bool {
        self.get(ffi::ZMQ_SHARED as c_int) == 1
    }

    /// The content, writable, or `None` when it is shared or constant
    /// ([`is_shared`](Self::is_shared)).
    ///
    /// Otherwise the bytes are this message's alone: inline content lives
    /// in the struct we own; a heap buffer (libzmq's, or one adopted from
    /// a `Vec`) belongs to this message only; a message received with
    /// zero-copy covers its own range of the receive buffer, which libzmq
    /// does not write again while the message is alive.
    #[inline]
    pub(crate) fn as_bytes_mut(&mut self) -> Option<&mut [u8]> {
        if self.is_shared() {
            return None;
        }
        let size = self.size();
        if size == 0 {
            return Some(&mut []);
        }
        // SAFETY: as in as_bytes, with exclusive access through &mut self,
        // and no other message can see the bytes (checked above).
        unsafe {
            let data = ffi::zmq_msg_data(self.as_mut_ptr());
            Some(std::slice::from_raw_parts_mut(data.cast::<u8>(), size))
        }
    }

    /// Whether the content is stored inside the struct itself (a "very
    /// small message"): its data pointer lies within the struct.
    #[inline]
    pub(crate) fn is_inline(&self) -> bool {
        let start = self.as_ptr().addr();
        self.data_addr().wrapping_sub(start) < std::mem::size_of::<ffi::zmq_msg_t>()
    }

    /// `zmq_msg_more`: whether more parts follow this one.
    #[inline]
    pub(crate) fn more(&self) -> bool {
        // SAFETY: the message is initialised; zmq_msg_more only reads it.
        unsafe { ffi::zmq_msg_more(self.as_ptr()) != 0 }
    }

    /// `zmq_msg_get` of an integer property (-1 for an unknown one).
    #[inline]
    pub(crate) fn get(&self, property: c_int) -> c_int {
        // SAFETY: the message is initialised; zmq_msg_get only reads it.
        unsafe { ffi::zmq_msg_get(self.as_ptr(), property) }
    }

    /// `zmq_msg_gets`: a metadata property of a received message.
    #[inline]
    pub(crate) fn gets(&self, name: &CStr) -> Option<&CStr> {
        // SAFETY: the message is initialised and `name` is a C string;
        // zmq_msg_gets only reads them. The value (or null) points into
        // the message's metadata, immutable and reference-counted by the
        // message: it lives until the message is closed or replaced, which
        // needs `&mut self` or dropping `self`, so it may borrow `&self`.
        unsafe {
            let value = ffi::zmq_msg_gets(self.as_ptr(), name.as_ptr());
            (!value.is_null()).then(|| CStr::from_ptr(value))
        }
    }

    /// Another message sharing this one's content (`zmq_msg_copy`), which
    /// marks both shared.
    pub(crate) fn share(&mut self) -> RawMessage {
        let mut copy = RawMessage::new();
        // SAFETY: both messages are initialised and held exclusively, so
        // libzmq may update `self` (mark it shared, set the count). It only
        // fails (EFAULT) for an uninitialised source, which ownership rules
        // out.
        unsafe { ffi::zmq_msg_copy(copy.as_mut_ptr(), self.as_mut_ptr()) };
        copy
    }

    /// Another message sharing this one's content, made through `&self`;
    /// `None` for a private heap-backed message, which `zmq_msg_copy`
    /// would have to write (to mark it shared).
    #[inline]
    pub(crate) fn copy_shared(&self) -> Option<RawMessage> {
        if !(self.is_inline() || self.is_shared()) {
            return None;
        }
        let mut copy = RawMessage::new();
        // SAFETY: zmq_msg_copy writes its source only to turn a private
        // heap-backed message into a shared one, excluded above. For an
        // inline message it copies the struct; for a shared or constant one
        // it also bumps reference counts, atomic counters in separate heap
        // blocks. So `self` is only read, as a shared borrow allows, and
        // concurrent copies from several threads are as safe as libzmq's
        // own atomic counting.
        unsafe { ffi::zmq_msg_copy(copy.as_mut_ptr(), self.as_ptr().cast_mut()) };
        Some(copy)
    }

    /// The routing id (DRAFT), 0 when not set.
    #[cfg(feature = "draft")]
    pub(crate) fn routing_id(&self) -> u32 {
        // SAFETY: the message is initialised; zmq_msg_routing_id only
        // reads it (the C signature lacks const only).
        unsafe { ffi::zmq_msg_routing_id(self.as_ptr().cast_mut()) }
    }

    /// Sets the routing id (DRAFT); libzmq refuses 0.
    #[cfg(feature = "draft")]
    pub(crate) fn set_routing_id(&mut self, routing_id: u32) -> Result<(), Errno> {
        // SAFETY: the message is initialised and exclusively ours; the id
        // is stored in the struct.
        cvt(unsafe { ffi::zmq_msg_set_routing_id(self.as_mut_ptr(), routing_id) }).map(drop)
    }

    /// The group (DRAFT), `None` when not set; may be empty.
    #[cfg(feature = "draft")]
    pub(crate) fn group(&self) -> Option<&CStr> {
        // SAFETY: the message is initialised; zmq_msg_group only reads it
        // and returns a C string stored in the struct or in an immutable
        // block the message holds a reference to: it lives as long as the
        // message is neither dropped nor changed (which needs &mut self).
        unsafe {
            let ptr = ffi::zmq_msg_group(self.as_ptr().cast_mut());
            (!ptr.is_null()).then(|| CStr::from_ptr(ptr))
        }
    }

    /// Whether the group is stored in a separate block (longer than 14
    /// bytes) rather than in the struct.
    #[cfg(feature = "draft")]
    pub(crate) fn has_long_group(&self) -> bool {
        // SAFETY: as in `group`; only the address is used.
        let group = unsafe { ffi::zmq_msg_group(self.as_ptr().cast_mut()) }.addr();
        let start = self.as_ptr().addr();
        group.wrapping_sub(start) >= std::mem::size_of::<ffi::zmq_msg_t>()
    }

    /// Sets the group (DRAFT). Refused (`EINVAL`) when the message already
    /// has a long group, which libzmq would overwrite without releasing
    /// (or, for a short new group, corrupt): give such a message's content
    /// to a fresh message first.
    #[cfg(feature = "draft")]
    pub(crate) fn set_group(&mut self, group: &CStr) -> Result<(), Errno> {
        if group.to_bytes().len() > ffi::ZMQ_GROUP_MAX_LENGTH as usize || self.has_long_group() {
            return Err(Errno(ffi::errno::EINVAL));
        }
        // SAFETY: the message is initialised, exclusively ours and has no
        // long group (checked); `group` is a C string of at most 255 bytes,
        // which libzmq copies.
        cvt(unsafe { ffi::zmq_msg_set_group(self.as_mut_ptr(), group.as_ptr()) }).map(drop)
    }
}

impl Default for RawMessage {
    fn default() -> Self {
        Self::new()
    }
}

/// A fresh message (made by `zmq_msg_init_size`) in a slot of its
/// caller's frame, where it is sent from without being moved; made by
/// [`RawMessage::place_filled`].
///
/// Dropping it closes the message (`zmq_msg_close`). [`sent`](Self::sent)
/// forgets it instead, after libzmq took the content and left an empty
/// message that holds nothing.
pub(crate) struct Placed<'slot>(&'slot mut RawMessage);

impl Placed<'_> {
    /// The message after a successful `zmq_msg_send`: libzmq re-initialised
    /// it as an empty message ("the zmq_msg_t structure passed to
    /// zmq_msg_send() is nulled during the call"), so it is left in its slot
    /// without the call that would close it.
    #[inline(always)]
    pub(crate) fn sent(self) {
        std::mem::forget(self);
    }
}

impl std::ops::Deref for Placed<'_> {
    type Target = RawMessage;
    #[inline(always)]
    fn deref(&self) -> &RawMessage {
        self.0
    }
}

impl std::ops::DerefMut for Placed<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut RawMessage {
        self.0
    }
}

impl Drop for Placed<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the slot holds an initialised message that nothing else
        // owns (MaybeUninit never drops it); it is closed once, here, and
        // not used again: the slot's borrow ends with `self`.
        unsafe { ptr::drop_in_place::<RawMessage>(self.0) };
    }
}

impl Drop for RawMessage {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the message is initialised and owned; zmq_msg_close
        // releases its content (running the free function if it held the
        // last reference) and only fails for an uninitialised message.
        unsafe { ffi::zmq_msg_close(self.as_mut_ptr()) };
    }
}

impl std::fmt::Debug for RawMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMessage")
            .field("len", &self.size())
            .finish()
    }
}
