//! The vocabulary of Blnk alerts: alerts, ids, entity kinds, the flagged entities (the Data
//! API's transactions, balances and identities), statuses and the sanitizer.
//! Pure data and parsing; no I/O happens here.

mod alert;
mod entity;
mod ids;
mod sanitize;
mod status;

pub use alert::{Alert, AlertType};
pub use entity::{Balance, Entity, Exact, Identity, Link, Transaction, decode_page, group_thousands, usual_decimals};
pub use ids::{AlertId, EntityId, EntityKind, IdError};
pub use sanitize::{is_safe, sanitize, sanitize_in_place, single_line};
pub use status::{ALLOWED_COLOURS, Status, StatusKey, StatusList, status_name};
