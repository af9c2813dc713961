//! The UDP ports media uses: one per peer connection, from a configured range
//! (webrtc 0.21 binds a socket per connection and cannot share one port).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct PortPool {
    free: Mutex<BTreeSet<u16>>,
}

/// A port taken from the pool; it goes back when dropped.
#[derive(Debug)]
pub struct PortLease {
    pub port: u16,
    pool: Arc<PortPool>,
}

impl Drop for PortLease {
    fn drop(&mut self) {
        self.pool.free.lock().expect("port pool").insert(self.port);
    }
}

impl PortPool {
    pub fn new(first: u16, last: u16) -> Arc<Self> {
        Arc::new(PortPool {
            free: Mutex::new((first..=last).collect()),
        })
    }

    /// The lowest free port, or `None` when the range is exhausted.
    pub fn take(self: &Arc<Self>) -> Option<PortLease> {
        let mut free = self.free.lock().expect("port pool");
        let port = *free.iter().next()?;
        free.remove(&port);
        Some(PortLease {
            port,
            pool: self.clone(),
        })
    }

    pub fn available(&self) -> usize {
        self.free.lock().expect("port pool").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_handed_out_once_and_come_back_when_released() {
        let pool = PortPool::new(50000, 50001);
        let a = pool.take().unwrap();
        let b = pool.take().unwrap();
        assert_eq!((a.port, b.port), (50000, 50001));
        assert!(pool.take().is_none());
        drop(a);
        assert_eq!(pool.take().unwrap().port, 50000);
        assert_eq!(
            pool.available(),
            1,
            "the temporary lease went back when dropped"
        );
    }
}
