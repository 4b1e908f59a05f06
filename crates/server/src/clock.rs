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

/// The wall time that TOTP codes and reset links are checked against: the system's, or one a
/// test sets and moves (`WallClock::fixed`), so code windows and link lifetimes are tested at
/// their exact boundaries. Only tests build a fixed one; no flag or variable can.
#[derive(Debug, Clone, Default)]
pub struct WallClock(Option<std::sync::Arc<std::sync::Mutex<DateTime<Utc>>>>);

impl WallClock {
    pub fn system() -> Self {
        WallClock(None)
    }

    /// A clock standing at `at` until [`WallClock::set`] moves it (tests).
    pub fn fixed(at: DateTime<Utc>) -> Self {
        WallClock(Some(std::sync::Arc::new(std::sync::Mutex::new(at))))
    }

    /// Moves a fixed clock (every clone sees it); a system clock ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(time) = &self.0 {
            *time.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = at;
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => wall_time(),
            Some(time) => *time.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    }
}
