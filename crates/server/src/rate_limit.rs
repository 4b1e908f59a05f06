//! Limits on sign-in attempts per client address and per account, in memory.
//!
//! A sliding window of failed attempts: at most `per_account` failures for one email address and
//! `per_address` for one client address within `window`. Exceeding either answers 429 with
//! `Retry-After`, whether or not the account exists. Each instance keeps its own counts; with
//! several instances the limits apply per instance.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct SignInLimiter {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Beyond this many tracked keys, stale ones are swept on the next failure.
const SWEEP_THRESHOLD: usize = 10_000;

impl SignInLimiter {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        SignInLimiter { window, per_account, per_address, failures: Mutex::new(HashMap::new()) }
    }

    /// The production limits: 5 failures per account and 20 per address in 15 minutes.
    pub fn standard() -> Self {
        SignInLimiter::new(Duration::from_secs(15 * 60), 5, 20)
    }

    /// `Err(retry_after)` when this attempt must be refused before checking the password.
    pub fn check(&self, email: &str, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        for (key, limit) in [(account_key(email), self.per_account), (address_key(address), self.per_address)] {
            if let Some(times) = failures.get_mut(&key) {
                prune(times, now, self.window);
                if times.len() >= limit {
                    let oldest = times.front().copied().unwrap_or(now);
                    wait = wait.max(self.window.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    pub fn record_failure(&self, email: &str, address: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > SWEEP_THRESHOLD {
            failures.retain(|_, times| {
                prune(times, now, self.window);
                !times.is_empty()
            });
        }
        for key in [account_key(email), address_key(address)] {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.remove(&account_key(email));
    }
}

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|oldest| now.duration_since(*oldest) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESS: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn the_sixth_attempt_on_one_account_is_refused_until_the_window_passes() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 100);
        let start = Instant::now();
        for _ in 0..5 {
            assert!(limiter.check("a@example.com", ADDRESS, start).is_ok());
            limiter.record_failure("a@example.com", ADDRESS, start);
        }
        let wait = limiter.check("A@Example.com", ADDRESS, start + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(limiter.check("a@example.com", ADDRESS, start + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn one_address_trying_many_accounts_is_refused() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 3);
        let now = Instant::now();
        for index in 0..3 {
            limiter.record_failure(&format!("user{index}@example.com"), ADDRESS, now);
        }
        assert!(limiter.check("someone-new@example.com", ADDRESS, now).is_err());
    }

    #[test]
    fn success_clears_the_account_failures() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 2, 100);
        let now = Instant::now();
        limiter.record_failure("a@example.com", ADDRESS, now);
        limiter.record_failure("a@example.com", ADDRESS, now);
        limiter.record_success("a@example.com");
        assert!(limiter.check("a@example.com", ADDRESS, now).is_ok());
    }
}
