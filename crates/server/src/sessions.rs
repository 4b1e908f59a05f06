//! Sessions verified without a database read per request, on PostgreSQL.
//!
//! Every authenticated request needs its session (who, which role, the anti-forgery token). On
//! PostgreSQL that read is a network round trip, so each server instance keeps the sessions it
//! verified for a few seconds ([`FRESH_FOR`]). A session must still end at once everywhere when
//! its user signs out or is disabled, whichever instance served that: the store sends a
//! PostgreSQL notification on channel [`CHANNEL`] in the transaction that deletes sessions
//! (`store::sql::accounts`), and every instance listens ([`listen`]) and drops what it names.
//! While an instance is not listening (starting, or its listening connection was lost) it
//! keeps nothing and reads every session from the database, so a missed notification can never
//! leave an ended session usable.
//!
//! SQLite needs none of this: its read is a call into the same process, and several processes
//! on one file would have no notifications to share. There the cache stays off.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;

use crate::config::DatabaseUrl;
use crate::store::accounts::SessionRecord;

/// The PostgreSQL notification channel of ended sessions. A payload is a session's token hash,
/// or `user:<id>` for every session of that user.
pub const CHANNEL: &str = "portal_sessions";

/// How long a verified session is used without reading it again: bounds how late a change that
/// sends no notification (a role changed by hand in the database) is seen.
pub const FRESH_FOR: Duration = Duration::from_secs(10);

/// The most sessions kept at once; past it the cache is emptied and starts over.
const MOST_ENTRIES: usize = 100_000;

/// Sessions this instance verified recently; see the module's note.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Cached>>,
    /// Whether entries may be kept: only while this instance hears every ended session.
    listening: AtomicBool,
    /// Counts removals, so that a session read from the database before it was ended elsewhere
    /// is not cached after the notification removed it (see [`SessionCache::insert`]).
    generation: AtomicU64,
}

struct Cached {
    record: SessionRecord,
    verified_at: Instant,
}

impl SessionCache {
    /// A cache that keeps nothing until [`listen`] hears the database.
    pub fn new() -> Arc<Self> {
        Arc::new(SessionCache::default())
    }

    /// The session of `token_hash` if it was verified within [`FRESH_FOR`].
    pub fn get(&self, token_hash: &str) -> Option<SessionRecord> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cached = entries.get(token_hash)?;
        (cached.verified_at.elapsed() < FRESH_FOR).then(|| cached.record.clone())
    }

    /// Where removals stand; read it before reading a session from the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a session read from the database, unless something was removed since `generation`
    /// was read (the removal may have been this session's, and the read may predate it).
    pub fn insert(&self, token_hash: &str, record: &SessionRecord, generation: u64) {
        if !self.listening.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MOST_ENTRIES {
            entries.clear();
        }
        entries.insert(token_hash.to_owned(), Cached { record: record.clone(), verified_at: Instant::now() });
    }

    /// Records that this instance touched the session (its idle clock restarts).
    pub fn touched(&self, token_hash: &str, at: chrono::DateTime<chrono::Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cached) = entries.get_mut(token_hash) {
            cached.record.last_seen_at = at;
        }
    }

    /// Drops one session (signed out or expired, here or elsewhere).
    pub fn remove(&self, token_hash: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(token_hash);
    }

    /// Drops every session of one user (disabled).
    pub fn remove_user(&self, user_id: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, cached| cached.record.user.id != user_id);
    }

    /// Acts on one notification payload of [`CHANNEL`].
    fn apply(&self, payload: &str) {
        match payload.strip_prefix("user:").map(str::parse::<i64>) {
            Some(Ok(user_id)) => self.remove_user(user_id),
            Some(Err(_)) => self.forget_all(),
            None => self.remove(payload),
        }
    }

    /// Stops keeping sessions and drops them all (the instance may have missed notifications).
    fn stop_listening(&self) {
        self.listening.store(false, Ordering::Release);
        self.forget_all();
    }

    fn forget_all(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    #[cfg(test)]
    fn start_listening(&self) {
        self.listening.store(true, Ordering::Release);
    }
}

/// Listens on [`CHANNEL`] for as long as the server runs, keeping `cache` on only while the
/// listening connection is up; a lost connection turns the cache off and is made again.
pub async fn listen(cache: Arc<SessionCache>, url: DatabaseUrl) {
    loop {
        match PgListener::connect(url.expose()).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    cache.listening.store(true, Ordering::Release);
                    // `try_recv` answers `Ok(None)` when the connection was lost.
                    while let Ok(Some(notification)) = listener.try_recv().await {
                        cache.apply(notification.payload());
                    }
                    tracing::warn!("lost the session notifications; sessions are read from the database until back");
                }
                Err(error) => tracing::warn!(%error, "cannot listen for session notifications"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect to listen for session notifications"),
        }
        cache.stop_listening();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planning_domain::api::CurrentUser;

    fn record(user_id: i64) -> SessionRecord {
        let now = chrono::Utc::now();
        let user: CurrentUser = serde_json::from_value(serde_json::json!({
            "id": user_id, "email": "a@example.com", "display_name": "A", "role": "partner_global_admin",
            "organization": { "id": 1, "kind": "partner", "name": "Contoso" }
        }))
        .expect("a current user");
        SessionRecord {
            user,
            csrf_token: "t".into(),
            created_at: now,
            last_seen_at: now,
            must_enrol: false,
            totp_enabled: false,
        }
    }

    #[test]
    fn nothing_is_kept_while_not_listening() {
        let cache = SessionCache::new();
        cache.insert("a", &record(1), cache.generation());
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn a_kept_session_is_dropped_by_its_notification_or_its_users() {
        let cache = SessionCache::new();
        cache.start_listening();
        cache.insert("a", &record(1), cache.generation());
        cache.insert("b", &record(2), cache.generation());
        assert!(cache.get("a").is_some());
        cache.apply("a");
        assert!(cache.get("a").is_none());
        cache.apply("user:2");
        assert!(cache.get("b").is_none());
    }

    #[test]
    fn a_read_that_began_before_a_removal_is_not_kept() {
        let cache = SessionCache::new();
        cache.start_listening();
        let before_read = cache.generation();
        cache.apply("a");
        cache.insert("a", &record(1), before_read);
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn losing_the_notifications_drops_everything_and_keeps_nothing_more() {
        let cache = SessionCache::new();
        cache.start_listening();
        cache.insert("a", &record(1), cache.generation());
        cache.stop_listening();
        assert!(cache.get("a").is_none());
        cache.insert("a", &record(1), cache.generation());
        assert!(cache.get("a").is_none());
    }
}
