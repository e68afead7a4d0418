//! What a steerable proxy counts, and how the counts cross its control
//! channel.

/// What crossed one side of a steerable proxy.
///
/// Whole messages and frames are counted apart, the same way with every
/// libzmq release: a message of three frames is one message and three
/// frames. (libzmq's own proxy counts whole messages before 4.3.5 and
/// frames from 4.3.5 on, in one field; these are the two numbers.) Bytes
/// are the sum of the frames' sizes.
///
/// A frame counts as sent when the socket accepted it. What a socket then
/// drops by itself (a PUB with no subscriber to the topic, a ROUTER
/// without `ROUTER_MANDATORY` and no peer of that routing id) counts as
/// sent, as with libzmq's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SocketStatistics {
    /// Messages the proxy received on this socket, counted once each, as
    /// their first frame comes in.
    pub messages_received: u64,
    /// Frames the proxy received on this socket.
    pub frames_received: u64,
    /// Bytes the proxy received on this socket.
    pub bytes_received: u64,
    /// Messages the proxy sent out through this socket, counted once each,
    /// when the socket accepted their last frame.
    pub messages_sent: u64,
    /// Frames the proxy sent out through this socket.
    pub frames_sent: u64,
    /// Bytes the proxy sent out through this socket.
    pub bytes_sent: u64,
}

/// The statistics of a steerable proxy since it started.
///
/// Every message the proxy received is, at any moment, either sent on
/// (counted in the other socket's `messages_sent`), being sent (at most
/// one per direction, held while its destination is full), or
/// [`dropped`](ProxyStatistics::dropped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProxyStatistics {
    /// The frontend socket: received = requests in, sent = replies out.
    pub frontend: SocketStatistics,
    /// The backend socket: received = replies in, sent = requests out.
    pub backend: SocketStatistics,
    /// Messages the proxy received and could not pass on whole:
    /// - one it held, waiting for room at its destination, when the proxy
    ///   stopped (terminated, or its context shut down);
    /// - one its destination refused for good: `EHOSTUNREACH` from a
    ///   ROUTER with `ROUTER_MANDATORY` whose peer is gone, or a
    ///   subscription longer than [`MAX_SUBSCRIPTION_LEN`](crate::MAX_SUBSCRIPTION_LEN)
    ///   bound for an XSUB;
    /// - one whose destination lost it after taking its first frames (the
    ///   peer it was going to disconnected meanwhile).
    pub dropped: u64,
    /// Messages the proxy passed on whose copy the capture socket could
    /// not take at once (its queue full, or no peer): the copy is dropped,
    /// the message itself is not.
    pub capture_dropped: u64,
}

/// How many `u64` values a [`ProxyStatistics`] travels as.
pub(super) const VALUES: usize = 14;

impl SocketStatistics {
    fn values(&self) -> [u64; 6] {
        [
            self.messages_received,
            self.frames_received,
            self.bytes_received,
            self.messages_sent,
            self.frames_sent,
            self.bytes_sent,
        ]
    }

    fn from_values(v: &[u64]) -> SocketStatistics {
        SocketStatistics {
            messages_received: v[0],
            frames_received: v[1],
            bytes_received: v[2],
            messages_sent: v[3],
            frames_sent: v[4],
            bytes_sent: v[5],
        }
    }
}

impl ProxyStatistics {
    /// The values in the order the control channel carries them.
    pub(super) fn to_values(self) -> [u64; VALUES] {
        let mut v = [0; VALUES];
        v[..6].copy_from_slice(&self.frontend.values());
        v[6..12].copy_from_slice(&self.backend.values());
        v[12] = self.dropped;
        v[13] = self.capture_dropped;
        v
    }

    /// The inverse of [`to_values`](Self::to_values).
    pub(super) fn from_values(v: &[u64; VALUES]) -> ProxyStatistics {
        ProxyStatistics {
            frontend: SocketStatistics::from_values(&v[..6]),
            backend: SocketStatistics::from_values(&v[6..12]),
            dropped: v[12],
            capture_dropped: v[13],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut v = [0u64; VALUES];
        for (i, x) in v.iter_mut().enumerate() {
            *x = 1000 + i as u64;
        }
        let stats = ProxyStatistics::from_values(&v);
        assert_eq!(stats.frontend.messages_received, 1000);
        assert_eq!(stats.frontend.bytes_sent, 1005);
        assert_eq!(stats.backend.messages_received, 1006);
        assert_eq!(stats.backend.bytes_sent, 1011);
        assert_eq!(stats.dropped, 1012);
        assert_eq!(stats.capture_dropped, 1013);
        assert_eq!(stats.to_values(), v);
    }
}
