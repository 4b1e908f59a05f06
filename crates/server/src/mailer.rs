//! Email delivery of the outbox, when SMTP is configured (`--smtp-url`): a background job takes
//! the unsent notifications oldest first, writes each as a plain-text email from the domain's
//! `Localize` messages, sends it and marks the row emailed.
//!
//! Users have no stored language yet, so every email carries both: English first, then Korean
//! (the program's partners read Korean). The subject is the English message's first sentence.
//!
//! Failures never lose a notification (it stays in the in-app inbox and unsent in the outbox):
//! - the SMTP server is unreachable (connection, TLS, timeout): the pass stops, nothing is
//!   counted against the rows, and the job waits longer each time, up to [`MAX_PAUSE`];
//! - the server refuses one message, or the row cannot be written as an email: that row waits
//!   longer after each attempt, up to [`MAX_ROW_BACKOFF`], and is given up after
//!   [`MAX_ATTEMPTS`], with its last error kept in `outbox.email_error`. Other rows go on.
//!
//! Delivery is at least once: a crash between sending and marking sends that message again.
//! Logs name the outbox row and the SMTP server's host, never the message, nor the URL's secrets.

use std::time::Duration;

use anyhow::anyhow;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use planning_domain::account::AccountEvent;
use planning_domain::api::account::{RESET_FRAGMENT, RESET_PAGE};
use planning_domain::api::vouchers::NotificationEvent;
use planning_domain::{Locale, Localize};

use crate::auth::{random_token, token_hash};
use crate::clock::{wall_time, WallClock};
use crate::config::Settings;
use crate::store::outbox::{EmailFailure, PendingEmail};
use crate::store::DynStore;

/// How often the job looks for unsent notifications.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// The longest the job waits while the SMTP server is unreachable.
pub const MAX_PAUSE: Duration = Duration::from_secs(5 * 60);
/// Refused sends of one row before it is given up.
pub const MAX_ATTEMPTS: u32 = 8;
/// The wait after a row's first refused send; it doubles with each attempt.
const ROW_BACKOFF: Duration = Duration::from_secs(30);
/// The longest a refused row waits before its next attempt.
pub const MAX_ROW_BACKOFF: Duration = Duration::from_secs(60 * 60);
/// Rows taken per batch.
const BATCH: u32 = 50;
/// How long a taken row is reserved for this job (longer than a batch can take).
const LEASE: Duration = Duration::from_secs(30 * 60);
/// Per SMTP command; a silent server counts as unreachable.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest subject; a longer first sentence is cut with an ellipsis.
const MAX_SUBJECT_CHARS: usize = 150;

const FOOTER_EN: &str = "This is an automatic notification from the Planning Services portal. \
                         You can also read it in your inbox in the portal.";
const FOOTER_KO: &str = "계획 서비스 포털에서 자동으로 보낸 알림입니다. 포털의 알림함에서도 확인할 수 있습니다.";

/// The configured SMTP delivery.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port` of the SMTP server, for logs and the banner.
    server: String,
    interval: Duration,
    /// Where the links in emails point (`--public-url`, else the listening address).
    public_url: Option<url::Url>,
    /// The clock reset links expire by.
    clock: WallClock,
}

impl Mailer {
    /// The mailer of these settings; `None` without `--smtp-url`. An unusable URL or sender is a
    /// configuration error, reported without the URL (it may hold a password).
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = &settings.smtp_url else { return Ok(None) };
        let server = url.server();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .map_err(|error| anyhow!("the SMTP URL (--smtp-url / PORTAL_SMTP_URL) for {server} is invalid: {error}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from: Mailbox = settings.smtp_from.parse().map_err(|error| {
            anyhow!("the sender (--smtp-from / PORTAL_SMTP_FROM) {:?} is not a mailbox: {error}", settings.smtp_from)
        })?;
        Ok(Some(Mailer {
            transport,
            from,
            server,
            interval: settings.smtp_poll_interval,
            public_url: settings.public_url.clone(),
            clock: settings.wall_clock.clone(),
        }))
    }

    /// Links point to `http://address` unless `--public-url` named the public address.
    pub fn default_public_url(&mut self, address: std::net::SocketAddr) {
        if self.public_url.is_none() {
            self.public_url = url::Url::parse(&format!("http://{address}/")).ok();
        }
    }

    /// The link of a reset token: the app's reset page with the token in the fragment.
    fn reset_link(&self, token: &str) -> Option<String> {
        let mut url = self.public_url.as_ref()?.join(RESET_PAGE).ok()?;
        url.set_fragment(Some(&format!("{RESET_FRAGMENT}{token}")));
        Some(url.to_string())
    }

    /// `host:port` of the SMTP server (never its credentials).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The sender, as the emails show it.
    pub fn from_address(&self) -> String {
        self.from.to_string()
    }
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    /// Rows refused or unreadable (left for a later attempt or given up).
    pub failed: usize,
    /// Set when the SMTP server could not be used; the pass stopped there.
    pub server_error: Option<String>,
}

/// Emails the unsent notifications due now, batch after batch, until none is left or the SMTP
/// server cannot be used. `pause` is what the job will wait after a server failure, so that
/// rows not tried wait as long.
pub async fn deliver_pending(store: &DynStore, mailer: &Mailer, pause: Duration) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    loop {
        let now = wall_time();
        let batch = store.take_unsent_emails(now, now + LEASE, MAX_ATTEMPTS, BATCH).await?;
        let full = batch.len() == BATCH as usize;
        let mut rows = batch.into_iter();
        while let Some(row) = rows.next() {
            match send(store, mailer, &row).await {
                Ok(()) => {
                    store.mark_emailed(row.id, wall_time()).await?;
                    pass.sent += 1;
                }
                Err(SendError::Row(error)) => {
                    let attempts = row.attempts.saturating_add(1);
                    let given_up = attempts >= MAX_ATTEMPTS;
                    if given_up {
                        tracing::error!(notification_id = row.id, attempts, %error, "giving up emailing notification");
                    } else {
                        tracing::warn!(notification_id = row.id, attempts, %error, "cannot email notification; will retry");
                    }
                    let failure = EmailFailure {
                        id: row.id,
                        error,
                        counts_as_attempt: true,
                        retry_at: wall_time() + row_backoff(attempts),
                    };
                    store.record_email_failure(&failure).await?;
                    pass.failed += 1;
                }
                Err(SendError::Server(error)) => {
                    // Neither this row's fault nor the next ones': hold them all until the job's next pass.
                    let retry_at = wall_time() + pause;
                    for untried in std::iter::once(row).chain(rows.by_ref()) {
                        let failure =
                            EmailFailure { id: untried.id, error: error.clone(), counts_as_attempt: false, retry_at };
                        store.record_email_failure(&failure).await?;
                    }
                    pass.server_error = Some(error);
                    return Ok(pass);
                }
            }
        }
        if !full {
            return Ok(pass);
        }
    }
}

/// Why a send failed, by whose fault.
enum SendError {
    /// This message was refused or cannot be built.
    Row(String),
    /// The SMTP server could not be reached or used.
    Server(String),
}

async fn send(store: &DynStore, mailer: &Mailer, row: &PendingEmail) -> Result<(), SendError> {
    let Some(event) = &row.event else {
        return Err(SendError::Row("the stored notification cannot be read".to_owned()));
    };
    // A reset link's token is made now and exists only in this email: the database keeps its
    // hash (a resend replaces it, and the earlier email's link stops working).
    let link = match event {
        NotificationEvent::Account(AccountEvent::PasswordResetRequested { reset_id, .. }) => {
            let token = random_token();
            let issued = store
                .issue_reset_token(*reset_id, &token_hash(&token), mailer.clock.now())
                .await
                .map_err(|error| SendError::Server(format!("cannot store the reset link: {error}")))?;
            if !issued {
                return Err(SendError::Row("the reset request expired or was used before it was emailed".to_owned()));
            }
            Some(mailer.reset_link(&token).ok_or_else(|| SendError::Row("no public URL for the link".to_owned()))?)
        }
        _ => None,
    };
    let message = message(&mailer.from, &row.recipient_email, event, link.as_deref()).map_err(SendError::Row)?;
    match mailer.transport.send(message).await {
        Ok(_) => Ok(()),
        // A response about this message (4xx or 5xx after connecting): count it against the row.
        Err(error) if error.is_transient() || error.is_permanent() => Err(SendError::Row(error.to_string())),
        Err(error) => Err(SendError::Server(error.to_string())),
    }
}

/// The email of one notification.
fn message(from: &Mailbox, recipient: &str, event: &NotificationEvent, link: Option<&str>) -> Result<Message, String> {
    let to: Mailbox = recipient.parse().map_err(|error| format!("the recipient address is unusable: {error}"))?;
    let (subject, text) = render(event, link);
    let body = Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| "the body cannot be encoded".to_owned())?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
        .map_err(|error| format!("the message cannot be built: {error}"))
}

/// Subject and plain-text body of a notification: the English message, then the Korean one,
/// each followed by `link` (a reset link) when there is one.
pub fn render(event: &NotificationEvent, link: Option<&str>) -> (String, String) {
    let english = event.message(Locale::En);
    let korean = event.message(Locale::Ko);
    let (link_en, link_ko) = match link {
        Some(link) => (
            format!("\n\nTo choose a new password, open this link:\n{link}"),
            format!("\n\n새 비밀번호를 설정하려면 다음 링크를 여세요:\n{link}"),
        ),
        None => (String::new(), String::new()),
    };
    let body = format!("{english}{link_en}\n\n{FOOTER_EN}\n\n----\n\n{korean}{link_ko}\n\n{FOOTER_KO}\n");
    (subject_of(&english), body)
}

/// The first sentence of a message, cut to [`MAX_SUBJECT_CHARS`].
fn subject_of(message: &str) -> String {
    let sentence = message.split_once(". ").map_or(message, |(first, _)| first).trim_end_matches('.');
    if sentence.chars().count() <= MAX_SUBJECT_CHARS {
        return sentence.to_owned();
    }
    let mut cut: String = sentence.chars().take(MAX_SUBJECT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The wait after a row's `attempts`-th refused send: 30 s, 1 min, 2 min, … up to an hour.
fn row_backoff(attempts: u32) -> chrono::Duration {
    let doubled = ROW_BACKOFF.saturating_mul(1 << attempts.saturating_sub(1).min(16));
    chrono::Duration::from_std(doubled.min(MAX_ROW_BACKOFF)).unwrap_or(chrono::Duration::hours(1))
}

/// Runs the job every `interval` (longer, up to [`MAX_PAUSE`], while the server is unreachable)
/// for the life of the process.
pub fn spawn(store: DynStore, mailer: Mailer) {
    tokio::spawn(async move {
        tracing::info!(server = %mailer.server, "emailing notifications through SMTP");
        let mut pause = mailer.interval;
        loop {
            match deliver_pending(&store, &mailer, pause).await {
                Ok(pass) => {
                    if pass.sent > 0 || pass.failed > 0 {
                        tracing::info!(sent = pass.sent, failed = pass.failed, "notification emails");
                    }
                    pause = match pass.server_error {
                        None => mailer.interval,
                        Some(error) => {
                            let next = pause.saturating_mul(2).min(MAX_PAUSE);
                            tracing::warn!(server = %mailer.server, %error, retry_in_s = next.as_secs(), "cannot email notifications");
                            next
                        }
                    };
                }
                Err(error) => tracing::error!(error = format!("{error:#}"), "mail job failed"),
            }
            tokio::time::sleep(pause).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use planning_domain::voucher::VoucherEvent;
    use planning_domain::VoucherId;

    use super::*;

    fn created() -> NotificationEvent {
        NotificationEvent::Voucher(VoucherEvent::Created {
            voucher_id: VoucherId::parse("210615000105").unwrap(),
            days_deducted: 5,
            expires_on: "2021-12-12".parse().unwrap(),
        })
    }

    #[test]
    fn an_email_carries_english_then_korean_and_its_subject_is_the_first_sentence() {
        let (subject, body) = render(&created(), None);
        assert_eq!(
            subject,
            "Voucher 210615000105 was created and assigned: 5 days, usable through December 12, 2021 (end of day UTC)"
        );
        let english = body.find("Voucher 210615000105 was created").unwrap();
        let korean = body.find("바우처 210615000105").unwrap();
        assert!(english < korean);
        assert!(body.contains(FOOTER_EN) && body.contains(FOOTER_KO));
    }

    #[test]
    fn long_subjects_are_cut_at_a_character() {
        let subject = subject_of(&"가".repeat(400));
        assert_eq!(subject.chars().count(), MAX_SUBJECT_CHARS);
        assert!(subject.ends_with('…'));
    }

    #[test]
    fn refused_rows_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(row_backoff(1), chrono::Duration::seconds(30));
        assert_eq!(row_backoff(2), chrono::Duration::seconds(60));
        assert_eq!(row_backoff(7), chrono::Duration::seconds(30 * 64));
        assert_eq!(row_backoff(8), chrono::Duration::hours(1));
        assert_eq!(row_backoff(u32::MAX), chrono::Duration::hours(1));
    }

    #[test]
    fn the_message_is_quoted_printable_plain_text_to_the_recipient() {
        let from: Mailbox = crate::config::DEFAULT_SMTP_FROM.parse().unwrap();
        let email = message(&from, "pm@northwind.example", &created(), None).unwrap();
        let formatted = String::from_utf8(email.formatted()).unwrap();
        assert!(formatted.contains("To: pm@northwind.example"), "{formatted}");
        assert!(formatted.contains("Content-Transfer-Encoding: quoted-printable"));
        assert!(formatted.contains("Subject: Voucher 210615000105 was created"));
        assert!(message(&from, "not an address", &created(), None).is_err());
    }
}
