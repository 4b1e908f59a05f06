//! Organizations, users and sessions.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::account::{AccountEvent, SignInAuditEvent};
use planning_domain::api::vouchers::NotificationEvent;
use planning_domain::api::{CurrentUser, Organization, User};

use sqlx::AnyConnection;

use super::{
    insert_audit, insert_notifications, name_of, parse_name, parse_time, sortable_time, to_json, AuditRow, Dialect,
    SqlStore,
};
use crate::store::accounts::{
    AccountStore, ExpiryCutoffs, NewMember, NewOrganization, PendingSingleSignOn, SessionRecord, TotpFactor,
};
use crate::store::vouchers::AuditActor;
use crate::store::{StoreError, StoreResult};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organization_id: i64,
    organization_name: String,
    organization_kind: String,
}

impl UserRow {
    fn into_current_user(self) -> StoreResult<CurrentUser> {
        Ok(CurrentUser {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: parse_name(&self.role)?,
            organization: Organization {
                id: self.organization_id,
                name: self.organization_name,
                kind: parse_name(&self.organization_kind)?,
            },
        })
    }
}

const USER_COLUMNS: &str = "u.id, u.email, u.display_name, u.role, o.id AS organization_id, \
     o.name AS organization_name, o.kind AS organization_kind";

#[async_trait]
impl AccountStore for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)").fetch_one(&self.pool).await?;
        Ok(())
    }

    async fn credentials(&self, email: &str) -> StoreResult<Option<(i64, String)>> {
        Ok(sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn current_user(&self, user_id: i64) -> StoreResult<CurrentUser> {
        let row: UserRow = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1"
        ))
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        row.into_current_user()
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        must_enrol: bool,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, must_enrol) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now.to_rfc3339())
        .bind(now.to_rfc3339())
        .bind(expires_at.to_rfc3339())
        .bind(i64::from(must_enrol))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            csrf_token: String,
            created_at: String,
            last_seen_at: String,
            must_enrol: i64,
            totp_enabled: i64,
        }
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.created_at, s.last_seen_at, s.must_enrol, \
                    CAST(CASE WHEN t.confirmed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS totp_enabled \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id \
             LEFT JOIN totp_factors t ON t.user_id = u.id \
             WHERE s.token_hash = $1 AND u.disabled_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SessionRecord {
                user: row.user.into_current_user()?,
                csrf_token: row.csrf_token,
                created_at: parse_time(&row.created_at)?,
                last_seen_at: parse_time(&row.last_seen_at)?,
                must_enrol: row.must_enrol != 0,
                totp_enabled: row.totp_enabled != 0,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.to_rfc3339())
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *transaction).await?;
        notify_ended_sessions(&mut transaction, self.dialect, token_hash).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn users_of(&self, organization_id: i64) -> StoreResult<Vec<User>> {
        let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, email, display_name, role, disabled_at FROM users \
             WHERE organization_id = $1 ORDER BY display_name, id",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, email, display_name, role, disabled_at)| {
                Ok(User { id, email, display_name, role: parse_name(&role)?, disabled: disabled_at.is_some() })
            })
            .collect()
    }

    async fn insert_user(&self, organization_id: i64, member: NewMember) -> StoreResult<i64> {
        let inserted = insert_member(&self.pool, organization_id, &member).await?;
        inserted.ok_or(StoreError::Conflict("email"))
    }

    async fn disable_user(&self, organization_id: i64, user_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        // The guarded write holds the user row (the database on SQLite); ending the sessions goes with it.
        let updated = sqlx::query(
            "UPDATE users SET disabled_at = coalesce(disabled_at, $1) WHERE id = $2 AND organization_id = $3",
        )
        .bind(now.to_rfc3339())
        .bind(user_id)
        .bind(organization_id)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *transaction).await?;
        notify_ended_sessions(&mut transaction, self.dialect, &format!("user:{user_id}")).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn has_organizations(&self) -> StoreResult<bool> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM organizations").fetch_one(&self.pool).await? > 0)
    }

    async fn seed_organizations(
        &self,
        organizations: Vec<(NewOrganization, Vec<NewMember>)>,
        marker: (&str, &str),
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        for (organization, members) in organizations {
            let organization_id: i64 = sqlx::query_scalar(
                "INSERT INTO organizations (kind, name, country, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name_of(&organization.kind))
            .bind(&organization.name)
            .bind(&organization.country)
            .bind(organization.created_at.to_rfc3339())
            .fetch_one(&mut *transaction)
            .await?;
            for member in members {
                insert_member(&mut *transaction, organization_id, &member)
                    .await?
                    .ok_or(StoreError::Conflict("email"))?;
            }
        }
        sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
            .bind(marker.0)
            .bind(marker.1)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn organization_id(&self, name: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn password_hash(&self, user_id: i64) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        kept_session: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        let email: String = sqlx::query_scalar("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(password_hash)
            .bind(user_id)
            .fetch_one(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(kept_session)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM sign_in_challenges WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        let event = NotificationEvent::Account(AccountEvent::PasswordChanged);
        insert_notifications(&mut transaction, &[(user_id, &email, event)], &now.to_rfc3339()).await?;
        notify_ended_sessions(&mut transaction, self.dialect, &format!("user:{user_id}")).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn request_password_reset(
        &self,
        email: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        minutes: i64,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let inserted: Option<(i64, i64)> = sqlx::query_as(
            "INSERT INTO password_resets (user_id, created_at, expires_at) \
             SELECT id, $1, $2 FROM users WHERE email = $3 AND disabled_at IS NULL \
             RETURNING id, user_id",
        )
        .bind(now.to_rfc3339())
        .bind(sortable_time(expires_at))
        .bind(email)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((reset_id, user_id)) = inserted else { return Ok(false) };
        let event = NotificationEvent::Account(AccountEvent::PasswordResetRequested { reset_id, minutes });
        insert_notifications(&mut transaction, &[(user_id, email, event)], &now.to_rfc3339()).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn issue_reset_token(&self, reset_id: i64, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE password_resets SET token_hash = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(reset_id)
        .bind(sortable_time(now))
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn complete_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.begin_write().await?;
        // The guarded write first: of two uses of one link, one finds it unused.
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
               AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) \
             RETURNING user_id",
        )
        .bind(now.to_rfc3339())
        .bind(token_hash)
        .bind(sortable_time(now))
        .fetch_optional(&mut *transaction)
        .await?;
        let Some(user_id) = user_id else { return Ok(None) };
        let email: String = sqlx::query_scalar("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(password_hash)
            .bind(user_id)
            .fetch_one(&mut *transaction)
            .await?;
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now.to_rfc3339())
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *transaction).await?;
        sqlx::query("DELETE FROM sign_in_challenges WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        let event = NotificationEvent::Account(AccountEvent::PasswordReset);
        insert_notifications(&mut transaction, &[(user_id, &email, event)], &now.to_rfc3339()).await?;
        notify_ended_sessions(&mut transaction, self.dialect, &format!("user:{user_id}")).await?;
        transaction.commit().await?;
        Ok(Some(user_id))
    }

    async fn totp_factor(&self, user_id: i64) -> StoreResult<Option<TotpFactor>> {
        let row: Option<(String, Option<String>, i64)> =
            sqlx::query_as("SELECT secret, confirmed_at, last_step FROM totp_factors WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(secret, confirmed_at, last_step)| TotpFactor {
            secret,
            confirmed: confirmed_at.is_some(),
            last_step,
        }))
    }

    async fn start_totp_enrolment(&self, user_id: i64, secret: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let written = sqlx::query(
            "INSERT INTO totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at \
             WHERE totp_factors.confirmed_at IS NULL",
        )
        .bind(user_id)
        .bind(secret)
        .bind(now.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(written.rows_affected() == 1)
    }

    async fn remove_totp(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let removed = sqlx::query("DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        if removed.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *transaction).await?;
        notify_account_event(&mut transaction, user_id, AccountEvent::TwoFactorDisabled, now).await?;
        // The sessions' `totp_enabled` changed: instances drop their copies (`crate::sessions`).
        notify_ended_sessions(&mut transaction, self.dialect, &format!("user:{user_id}")).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn renew_recovery_codes(
        &self,
        user_id: i64,
        recovery_code_hashes: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let on: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL")
                .bind(user_id)
                .fetch_optional(&mut *transaction)
                .await?;
        if on.is_none() {
            return Ok(false);
        }
        replace_recovery_codes(&mut transaction, user_id, recovery_code_hashes).await?;
        notify_account_event(&mut transaction, user_id, AccountEvent::RecoveryCodesRenewed, now).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn confirm_totp(
        &self,
        user_id: i64,
        step: i64,
        recovery_code_hashes: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let confirmed = sqlx::query(
            "UPDATE totp_factors SET confirmed_at = $1, last_step = $2 WHERE user_id = $3 AND confirmed_at IS NULL",
        )
        .bind(now.to_rfc3339())
        .bind(step)
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
        if confirmed.rows_affected() == 0 {
            return Ok(false);
        }
        replace_recovery_codes(&mut transaction, user_id, recovery_code_hashes).await?;
        sqlx::query("UPDATE sessions SET must_enrol = 0 WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        notify_account_event(&mut transaction, user_id, AccountEvent::TwoFactorEnabled, now).await?;
        // The sessions changed: instances drop their copies (`crate::sessions`).
        notify_ended_sessions(&mut transaction, self.dialect, &format!("user:{user_id}")).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn use_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE totp_factors SET last_step = $1 \
             WHERE user_id = $2 AND confirmed_at IS NOT NULL AND last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn use_recovery_code(&self, user_id: i64, code_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now.to_rfc3339())
        .bind(user_id)
        .bind(code_hash)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<u32> {
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(u32::try_from(count).unwrap_or(0))
    }

    async fn insert_sign_in_challenge(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO sign_in_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(sortable_time(expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sign_in_challenge(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        max_failures: u32,
    ) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT c.user_id FROM sign_in_challenges c JOIN users u ON u.id = c.user_id \
             WHERE c.token_hash = $1 AND c.expires_at > $2 AND c.failures < $3 AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(sortable_time(now))
        .bind(i64::from(max_failures))
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn record_challenge_failure(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE sign_in_challenges SET failures = failures + 1 WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sign_in_challenge(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn local_passwords_allowed(&self, organization_id: i64) -> StoreResult<bool> {
        let allowed: Option<i64> =
            sqlx::query_scalar("SELECT local_passwords_allowed FROM organizations WHERE id = $1")
                .bind(organization_id)
                .fetch_optional(&self.pool)
                .await?;
        // An organization that is gone has no users to sign in: nothing to refuse.
        Ok(allowed.is_none_or(|allowed| allowed != 0))
    }

    async fn set_local_passwords_allowed(
        &self,
        organization_id: i64,
        allowed: bool,
        actor: &AuditActor,
        program_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        sqlx::query("UPDATE organizations SET local_passwords_allowed = $1 WHERE id = $2")
            .bind(i64::from(allowed))
            .bind(organization_id)
            .execute(&mut *transaction)
            .await?;
        let event = SignInAuditEvent::LocalPasswordsSet { allowed };
        audit_sign_in(
            &mut transaction,
            &organization_id.to_string(),
            actor.user_id,
            &actor.name,
            &event,
            program_date,
            now,
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn record_single_sign_on(
        &self,
        user: &CurrentUser,
        issuer: &str,
        program_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let event = SignInAuditEvent::SingleSignOn { issuer: issuer.to_owned() };
        let subject = user.organization.id.to_string();
        audit_sign_in(&mut connection, &subject, Some(user.id), &user.display_name, &event, program_date, now).await
    }

    async fn insert_single_sign_on(
        &self,
        browser_hash: &str,
        pending: &PendingSingleSignOn,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO oidc_sign_ins (browser_hash, state, nonce, pkce_verifier, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(browser_hash)
        .bind(&pending.state)
        .bind(&pending.nonce)
        .bind(&pending.pkce_verifier)
        .bind(sortable_time(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_expired_sign_in_rows(&self, cutoffs: &ExpiryCutoffs) -> StoreResult<u64> {
        // Sessions' times are written by `to_rfc3339` and the others' by `sortable_time`; both
        // compare as text to the second, and the cutoffs are a minute clear of any boundary.
        let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(cutoffs.session_idle_before.to_rfc3339())
            .bind(cutoffs.session_created_before.to_rfc3339())
            .execute(&self.pool)
            .await?;
        let mut deleted = sessions.rows_affected();
        for (table, before) in [
            ("oidc_sign_ins", cutoffs.single_sign_on_before),
            ("sign_in_challenges", cutoffs.code_expired_before),
            ("password_resets", cutoffs.code_expired_before),
        ] {
            let sql = format!("DELETE FROM {table} WHERE expires_at < $1");
            deleted += sqlx::query(&sql).bind(sortable_time(before)).execute(&self.pool).await?.rows_affected();
        }
        Ok(deleted)
    }

    async fn take_single_sign_on(
        &self,
        browser_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<PendingSingleSignOn>> {
        // Expired ones of other browsers are deleted by `crate::cleanup`.
        let row: Option<(String, String, String)> = sqlx::query_as(
            "DELETE FROM oidc_sign_ins WHERE browser_hash = $1 AND expires_at > $2 \
             RETURNING state, nonce, pkce_verifier",
        )
        .bind(browser_hash)
        .bind(sortable_time(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(state, nonce, pkce_verifier)| PendingSingleSignOn { state, nonce, pkce_verifier }))
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1").bind(key).fetch_optional(&self.pool).await?)
    }
}

/// The audit log's subject of how an organization's users sign in (its id).
const SIGN_IN_SUBJECT: &str = "organization_sign_in";

/// Appends one audit row of an organization's sign-in (inside the caller's connection).
async fn audit_sign_in(
    connection: &mut AnyConnection,
    organization_id: &str,
    actor_user_id: Option<i64>,
    actor_name: &str,
    event: &SignInAuditEvent,
    program_date: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let at = sortable_time(now);
    let row = AuditRow {
        subject_kind: SIGN_IN_SUBJECT,
        subject_id: organization_id,
        actor_user_id,
        actor_name,
        event_json: to_json(event)?,
        from_status: None,
        to_status: event.kind().to_owned(),
        program_date,
        at: &at,
    };
    insert_audit(connection, row).await
}

/// Inserts a user; `None` when the email is taken.
async fn insert_member<'e>(
    executor: impl sqlx::AnyExecutor<'e>,
    organization_id: i64,
    member: &NewMember,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (organization_id, email, display_name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(organization_id)
    .bind(&member.email)
    .bind(&member.display_name)
    .bind(name_of(&member.role))
    .bind(&member.password_hash)
    .bind(member.created_at.to_rfc3339())
    .fetch_optional(executor)
    .await
}

/// Tells every server instance that sessions ended (`crate::sessions`), delivered when the
/// caller's transaction commits: `payload` is a token hash or `user:<id>`. PostgreSQL only: on
/// SQLite no instance keeps sessions.
async fn notify_ended_sessions(connection: &mut AnyConnection, dialect: Dialect, payload: &str) -> StoreResult<()> {
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::sessions::CHANNEL)
            .bind(payload)
            .execute(connection)
            .await?;
    }
    Ok(())
}

/// The user's recovery codes become these hashes (the unused ones go).
async fn replace_recovery_codes(
    connection: &mut AnyConnection,
    user_id: i64,
    recovery_code_hashes: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *connection).await?;
    for hash in recovery_code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// The user's notification (inbox and email) of a change to their own account.
async fn notify_account_event(
    connection: &mut AnyConnection,
    user_id: i64,
    event: AccountEvent,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *connection).await?;
    let event = NotificationEvent::Account(event);
    insert_notifications(connection, &[(user_id, &email, event)], &now.to_rfc3339()).await?;
    Ok(())
}
