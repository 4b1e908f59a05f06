//! Expiry by the program clock: vouchers past their last day become `Expired` and, per the
//! rule, give their days back to the pool.
//!
//! Reads already show such vouchers as expired (`Voucher::status_on(today)`), so whether this job
//! has run yet changes nothing a user sees but the pool; and the pool rule depends on the expiry
//! day, not on when the job runs, so processing late gives the same result.

use std::time::Duration;

use planning_domain::api::vouchers::PoolChange;
use planning_domain::voucher::{self, DayPool};
use planning_domain::Role;

use crate::clock::wall_time;
use crate::startup::AppState;
use crate::store::vouchers::{AuditActor, NewNotification, PoolChangeWrite, TransitionWrite, WriteOutcome};

/// How many vouchers one pass expires at most.
const BATCH: u32 = 500;
/// How often the job looks for vouchers to expire.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Expires every voucher due on the program date; returns how many were expired.
pub async fn expire_due_vouchers(state: &AppState) -> anyhow::Result<usize> {
    let today = state.clock.today();
    let mut expired = 0;
    loop {
        let due = state.store.vouchers_due_to_expire(today, BATCH).await?;
        if due.is_empty() {
            return Ok(expired);
        }
        let mut progressed = false;
        for stored in due {
            let Some(enrollment) = state.store.enrollment(&stored.voucher.enrollment_id).await? else { continue };
            let pool = DayPool {
                enrollment_id: enrollment.enrollment.enrollment_id.clone(),
                benefit_activated: enrollment.enrollment.benefit_activated_on.is_some(),
                remaining_days: enrollment.enrollment.remaining_days,
                enrollment_ends_on: enrollment.enrollment.ends_on,
            };
            let transition = match voucher::expire_voucher(&stored.voucher, &pool, today, &state.timeline) {
                Ok(transition) => transition,
                Err(error) => {
                    tracing::warn!(voucher_id = %stored.voucher.id, %error, "cannot expire voucher");
                    continue;
                }
            };
            let recipients = state
                .store
                .users_with_role(stored.customer_organization_id, &[Role::CustomerBenefitAdministrator], None)
                .await?;
            let notifications = recipients
                .into_iter()
                .flat_map(|(recipient_user_id, recipient_email)| {
                    transition.events.iter().map(move |event| NewNotification {
                        recipient_user_id,
                        recipient_email: recipient_email.clone(),
                        event: event.clone(),
                    })
                })
                .collect();
            let pool_change = (transition.pool.remaining_days != pool.remaining_days).then_some(PoolChangeWrite {
                enrollment_row_id: enrollment.id,
                expected_remaining: pool.remaining_days,
                new_remaining: transition.pool.remaining_days,
                reason: PoolChange::VoucherExpired,
            });
            let write = TransitionWrite {
                from_status: Some(stored.voucher.status()),
                expected_version: stored.version,
                partner_organization_id: stored.partner_organization_id,
                pool_change,
                events: transition.events,
                actor: AuditActor { user_id: None, name: "Program clock".to_owned() },
                notifications,
                program_date: today,
                now: wall_time(),
                voucher: transition.voucher,
            };
            if state.store.apply_transition(write).await? == WriteOutcome::Applied {
                expired += 1;
                progressed = true;
            }
        }
        if !progressed {
            // Everything left changed under us or cannot expire: the next pass picks it up.
            return Ok(expired);
        }
    }
}

/// Runs the job at start and then every [`INTERVAL`], for the life of the process.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        loop {
            match expire_due_vouchers(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "vouchers expired"),
                Err(error) => tracing::error!(error = format!("{error:#}"), "expiry job failed"),
            }
            tokio::time::sleep(INTERVAL).await;
        }
    });
}
