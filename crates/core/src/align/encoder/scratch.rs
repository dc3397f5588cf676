//! Zeroed buffers for the forward pass, kept per thread between batches. A batch needs
//! several buffers of tens of megabytes; taken fresh from the allocator each time, they are
//! mapped and unmapped again, and the page faults cost about a tenth of the encoder's time.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

/// Buffers a thread keeps for its next batches.
const KEEP: usize = 8;

thread_local! {
    static POOL: RefCell<Vec<Vec<f32>>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of numbers that goes back to its thread's pool when dropped.
pub(super) struct Buffer(Vec<f32>);

impl Buffer {
    /// A buffer of `len` zeros, reusing a kept one when the thread has one.
    pub(super) fn zeroed(len: usize) -> Self {
        let mut numbers = POOL.with(|pool| take_fitting(&mut pool.borrow_mut(), len));
        numbers.clear();
        numbers.resize(len, 0.0);
        Buffer(numbers)
    }
}

/// The smallest kept buffer that holds `len` numbers, else the largest (it will grow), else a
/// new one.
fn take_fitting(pool: &mut Vec<Vec<f32>>, len: usize) -> Vec<f32> {
    let fitting = (0..pool.len())
        .filter(|&i| pool[i].capacity() >= len)
        .min_by_key(|&i| pool[i].capacity());
    let largest = (0..pool.len()).max_by_key(|&i| pool[i].capacity());
    fitting
        .or(largest)
        .map(|i| pool.swap_remove(i))
        .unwrap_or_default()
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let numbers = std::mem::take(&mut self.0);
        POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.len() < KEEP {
                pool.push(numbers);
            }
        });
    }
}

impl Deref for Buffer {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.0
    }
}

impl DerefMut for Buffer {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_buffer_comes_back_zeroed_and_sized() {
        let mut first = Buffer::zeroed(1000);
        first.fill(7.0);
        let capacity = first.0.capacity();
        drop(first);
        let second = Buffer::zeroed(500);
        assert_eq!(second.len(), 500);
        assert!(second.iter().all(|&v| v == 0.0));
        assert_eq!(second.0.capacity(), capacity, "the kept buffer is reused");
        let bigger = Buffer::zeroed(5000);
        assert_eq!(bigger.len(), 5000);
        assert!(bigger.iter().all(|&v| v == 0.0));
    }
}
