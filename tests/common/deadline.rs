//! A time limit for synchronous test bodies (pseudo-terminals, long drawing loops), where
//! `tokio::time::timeout` cannot step in. Include it with
//! `#[path = "common/deadline.rs"] mod deadline;`.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::sync::mpsc;
use std::time::Duration;

/// Runs `body` on its own thread and fails the test when it takes longer than `limit`.
/// A panic in `body` fails the test with the same message. Whatever `body` owns (a `Pty`,
/// a server) is dropped when it ends, so it cleans up after itself either way.
pub fn within<T: Send + 'static>(limit: Duration, body: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, wait) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("test body".into())
        .spawn(move || {
            let _ = done.send(body());
        })
        .expect("spawn the test body");
    match wait.recv_timeout(limit) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the body ended without a value"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test took longer than {} s", limit.as_secs()),
    }
}
