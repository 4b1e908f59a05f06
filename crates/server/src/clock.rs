//! The program clock: the only place the server reads the date.

use chrono::{NaiveDate, Utc};

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
