//! The one typed HTTP client for the Blnk Cloud Alerts API.
//! Reads and writes are separate types, so a read-only dashboard holds no way to mutate.

pub mod bulk;
mod client;
pub mod elements;
mod error;
mod http;
mod list;
mod requests;
mod retry;

pub use client::{ReadClient, WriteClient};
pub use error::ApiError;
pub use http::Http;
pub use list::{ElementHash, Known, ListDelta, ListFetch, Progress};
pub use requests::{AlertUpdate, FlagRequest, NewStatus, StatusChange};
pub use retry::{RetryDecision, retry_after, retry_decision};
