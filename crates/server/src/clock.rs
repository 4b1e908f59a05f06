//! The clocks: the only place the server reads the time.
//!
//! Two notions of time: the *program date* (which business rules see; pinnable for the demo)
//! and the *wall time* (session expiry, audit timestamps), which is always real.

use chrono::{DateTime, NaiveDate, Utc};

/// The real current time, for sessions and timestamps. Never pinned: a pinned program date must
/// not keep sessions alive forever.
pub fn wall_time() -> DateTime<Utc> {
    Utc::now()
}

/// Where "today" comes from. Rules never read a clock; handlers ask this and pass the date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Today's date in UTC from the system clock.
    System,
    /// A fixed program date (demo and tests).
    Pinned(NaiveDate),
}

impl Clock {
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Utc::now().date_naive(),
            Clock::Pinned(date) => date,
        }
    }

    pub fn is_pinned(self) -> bool {
        matches!(self, Clock::Pinned(_))
    }
}
