//! Limits on sign-in attempts, in memory, over a sliding window of failed attempts.
//!
//! Three counts, none of which can lock an account's owner out from the owner's own address:
//! - per client address: at most `per_address` failures (any accounts) in `window`, then 429 with
//!   `Retry-After`; one address trying many accounts is refused;
//! - per account and client address: at most `per_account_address` failures for one email address
//!   from one client address in `window`, then 429; failures from other addresses do not count,
//!   so an attacker guessing a partner admin's password does not block the admin's own address;
//! - per account (any address): from `per_account_address` failures on, every attempt for the
//!   account waits before its password is checked, twice as long for each further failure
//!   ([`SlowDown`]): an attacker spread over many addresses is slowed, the owner only waits.
//!
//! The refusals and the delay are the same whether or not the account exists. Each instance keeps
//! its own counts; with several instances the limits apply per instance.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The delay of attempts on an account with many recent failures: `first` once the account has
/// `after` failures in the window, doubling with each further failure, never more than `most`.
#[derive(Debug, Clone, Copy)]
pub struct SlowDown {
    pub after: usize,
    pub first: Duration,
    pub most: Duration,
}

impl SlowDown {
    fn delay(self, failures: usize) -> Duration {
        if failures < self.after {
            return Duration::ZERO;
        }
        let doublings = u32::try_from(failures - self.after).unwrap_or(u32::MAX).min(16);
        self.first.saturating_mul(1 << doublings).min(self.most)
    }
}

#[derive(Debug)]
pub struct SignInLimiter {
    window: Duration,
    per_account_address: usize,
    per_address: usize,
    slow_down: SlowDown,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Beyond this many tracked keys, stale ones are swept on the next failure.
const SWEEP_THRESHOLD: usize = 10_000;

impl SignInLimiter {
    pub fn new(window: Duration, per_account_address: usize, per_address: usize, slow_down: SlowDown) -> Self {
        SignInLimiter { window, per_account_address, per_address, slow_down, failures: Mutex::new(HashMap::new()) }
    }

    /// The production limits, in 15 minutes: 5 failures per account from one address and 20 per
    /// address; from 5 failures on an account (any addresses), 0.25 s doubling up to 4 s.
    pub fn standard() -> Self {
        let slow_down = SlowDown { after: 5, first: Duration::from_millis(250), most: Duration::from_secs(4) };
        SignInLimiter::new(Duration::from_secs(15 * 60), 5, 20, slow_down)
    }

    /// The limits of password-reset requests, each counted as it is made, in 15 minutes: 3 per
    /// account from one address, 10 per address (whether or not the account exists).
    pub fn password_resets() -> Self {
        let slow_down = SlowDown { after: usize::MAX, first: Duration::ZERO, most: Duration::ZERO };
        SignInLimiter::new(Duration::from_secs(15 * 60), 3, 10, slow_down)
    }

    /// `Err(retry_after)` when this attempt must be refused before checking the password, else
    /// `Ok(delay)`: how long to wait before checking it (zero unless the account is under attack).
    pub fn check(&self, email: &str, address: IpAddr, now: Instant) -> Result<Duration, Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        for (key, limit) in
            [(account_address_key(email, address), self.per_account_address), (address_key(address), self.per_address)]
        {
            if let Some(times) = failures.get_mut(&key) {
                prune(times, now, self.window);
                if times.len() >= limit {
                    let oldest = times.front().copied().unwrap_or(now);
                    wait = wait.max(self.window.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        if !wait.is_zero() {
            return Err(wait.max(Duration::from_secs(1)));
        }
        let account_failures = failures.get_mut(&account_key(email)).map_or(0, |times| {
            prune(times, now, self.window);
            times.len()
        });
        Ok(self.slow_down.delay(account_failures))
    }

    pub fn record_failure(&self, email: &str, address: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > SWEEP_THRESHOLD {
            failures.retain(|_, times| {
                prune(times, now, self.window);
                !times.is_empty()
            });
        }
        for key in [account_address_key(email, address), account_key(email), address_key(address)] {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures from this address. The address's count
    /// stays, and so do the account's failures from elsewhere (an attacker's guesses still slow
    /// the next ones down).
    pub fn record_success(&self, email: &str, address: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.remove(&account_address_key(email, address));
    }
}

fn normalized(email: &str) -> String {
    email.trim().to_lowercase()
}

fn account_key(email: &str) -> String {
    format!("account:{}", normalized(email))
}

fn account_address_key(email: &str, address: IpAddr) -> String {
    format!("account:{} address:{address}", normalized(email))
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
    const OTHER_ADDRESS: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7));
    const SLOW_DOWN: SlowDown = SlowDown { after: 5, first: Duration::from_millis(250), most: Duration::from_secs(4) };

    #[test]
    fn the_sixth_attempt_on_one_account_from_one_address_is_refused_until_the_window_passes() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 100, SLOW_DOWN);
        let start = Instant::now();
        for _ in 0..5 {
            assert!(limiter.check("a@example.com", ADDRESS, start).is_ok());
            limiter.record_failure("a@example.com", ADDRESS, start);
        }
        let wait = limiter.check("A@Example.com", ADDRESS, start + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert_eq!(limiter.check("a@example.com", ADDRESS, start + Duration::from_secs(60)), Ok(Duration::ZERO));
    }

    #[test]
    fn another_address_is_not_refused_for_the_account_only_slowed() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 100, SLOW_DOWN);
        let now = Instant::now();
        for _ in 0..5 {
            limiter.record_failure("a@example.com", ADDRESS, now);
        }
        assert!(limiter.check("a@example.com", ADDRESS, now).is_err());
        assert_eq!(limiter.check("a@example.com", OTHER_ADDRESS, now), Ok(Duration::from_millis(250)));
        assert_eq!(limiter.check("b@example.com", OTHER_ADDRESS, now), Ok(Duration::ZERO));
    }

    #[test]
    fn the_account_delay_doubles_with_each_failure_up_to_its_most() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 1_000, SLOW_DOWN);
        let now = Instant::now();
        let mut delays = Vec::new();
        for index in 0..12u8 {
            let address = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, index));
            delays.push(limiter.check("a@example.com", OTHER_ADDRESS, now).unwrap().as_millis());
            limiter.record_failure("a@example.com", address, now);
        }
        assert_eq!(delays, [0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
        assert_eq!(limiter.check("a@example.com", OTHER_ADDRESS, now + Duration::from_secs(60)), Ok(Duration::ZERO));
    }

    #[test]
    fn one_address_trying_many_accounts_is_refused() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 5, 3, SLOW_DOWN);
        let now = Instant::now();
        for index in 0..3 {
            limiter.record_failure(&format!("user{index}@example.com"), ADDRESS, now);
        }
        assert!(limiter.check("someone-new@example.com", ADDRESS, now).is_err());
    }

    #[test]
    fn success_clears_the_account_failures_from_that_address() {
        let limiter = SignInLimiter::new(Duration::from_secs(60), 2, 100, SLOW_DOWN);
        let now = Instant::now();
        limiter.record_failure("a@example.com", ADDRESS, now);
        limiter.record_failure("a@example.com", ADDRESS, now);
        limiter.record_failure("a@example.com", OTHER_ADDRESS, now);
        limiter.record_failure("a@example.com", OTHER_ADDRESS, now);
        limiter.record_success("a@example.com", ADDRESS);
        assert!(limiter.check("a@example.com", ADDRESS, now).is_ok());
        assert!(limiter.check("a@example.com", OTHER_ADDRESS, now).is_err());
    }
}
