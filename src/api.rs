//! The only module that talks HTTP: one `async fn` per endpoint, domain types in and out.
//!
//! State-changing requests carry the session's anti-forgery token ([`api::CSRF_HEADER`]), which
//! the session state hands over with [`set_csrf_token`] after signing in.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use planning_domain::api::account::{
    self as account_api, ChangePassword, CompletePasswordReset, OrganizationSignIn, RecoveryCodes,
    RequestPasswordReset, SecondFactor, SignInProviders, TotpEnrolment, TotpStatus,
};
use planning_domain::api::embed::{self as embed_api, CreateEmbedToken, CreatedEmbedToken, EmbedToken};
use planning_domain::api::operations::{self as operations_api, ProgramDashboard};
use planning_domain::api::partners::{
    self as partner_api, BusinessProfile, BusinessProfileUpdate, DirectoryPage, PartnerProgram, PublicPartnerProfile,
};
use planning_domain::api::payments::{
    self as payment_api, CreatePaymentRequest, PayableVoucher, PaymentRequestView, RegisterPaymentProgram,
    ReviewDecisionReason, ReviewedPaymentRequestView, SubmitPaymentRequest,
};
use planning_domain::api::qualifications as qualifications_api;
use planning_domain::api::vouchers::{
    self as voucher_api, AuditLine, CreateVoucher, Document, Enrollment, InboxLine, PoolEntry, RedeemVouchers,
    RedemptionOutcome, RescheduleEngagement, ReserveVoucher, SubmitCompletionReport, ValidateVoucher, VoucherPage,
    VoucherPreview, VoucherView,
};
use planning_domain::api::{self, Organization, Program, Session, SignIn, User};
use planning_domain::listing::MAX_PAGE_SIZE;
use planning_domain::payment::SavbRegistration;
use planning_domain::{ErrorCode, ErrorView, Locale, OfferingCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Why a call failed, as the app needs to tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, connection refused).
    Network,
    /// The server answered with the shared error body (read as its words, see [`ErrorView`]).
    Server(ErrorView),
}

impl ApiError {
    /// The server's words in the reader's language; `None` for network failures, which the
    /// caller words from its own translations.
    pub fn server_message(&self, locale: Locale) -> Option<String> {
        match self {
            ApiError::Network => None,
            ApiError::Server(view) => Some(view.localized(locale).to_owned()),
        }
    }

    /// The stable error code, if the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Network => None,
            ApiError::Server(view) => Some(view.code),
        }
    }

    /// The server's message for one form field, if it named that field.
    pub fn field_message(&self, field: &str, locale: Locale) -> Option<String> {
        match self {
            ApiError::Network => None,
            ApiError::Server(view) => view.field_message(field, locale).map(str::to_owned),
        }
    }
}

thread_local! {
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers (or forgets, on sign-out) the token every state-changing request must carry.
pub fn set_csrf_token(token: Option<String>) {
    CSRF_TOKEN.with(|slot| *slot.borrow_mut() = token);
}

fn csrf_token() -> String {
    CSRF_TOKEN.with(|slot| slot.borrow().clone().unwrap_or_default())
}

// --- Program and session -------------------------------------------------------------------

/// `GET /api/v1/program`.
pub async fn get_program() -> Result<Program, ApiError> {
    get_json(api::PROGRAM).await
}

/// `GET /api/v1/session`: who is signed in (401 when no one is).
pub async fn get_session() -> Result<Session, ApiError> {
    get_json(api::SESSION).await
}

/// `GET /api/v1/session/providers`: whether single sign-on is offered.
pub async fn get_sign_in_providers() -> Result<SignInProviders, ApiError> {
    get_json(account_api::SESSION_PROVIDERS).await
}

/// `POST /api/v1/session`.
pub async fn sign_in(body: &SignIn) -> Result<Session, ApiError> {
    let request = Request::post(api::SESSION);
    send_json(request, body).await
}

/// `DELETE /api/v1/session`.
pub async fn sign_out() -> Result<(), ApiError> {
    send_empty(Request::delete(api::SESSION), None).await
}

/// `POST /api/v1/session/second-factor`: the code after the password.
pub async fn second_factor(body: &SecondFactor) -> Result<Session, ApiError> {
    send_json(Request::post(account_api::SESSION_SECOND_FACTOR), body).await
}

// --- The reader's own account --------------------------------------------------------------

/// `PUT /api/v1/account/password`.
pub async fn change_password(body: &ChangePassword) -> Result<(), ApiError> {
    send_empty(Request::put(account_api::ACCOUNT_PASSWORD), Some(to_body(body))).await
}

/// `POST /api/v1/password-resets`.
pub async fn request_password_reset(body: &RequestPasswordReset) -> Result<(), ApiError> {
    send_empty(Request::post(account_api::PASSWORD_RESETS), Some(to_body(body))).await
}

/// `POST /api/v1/password-resets/completion`.
pub async fn complete_password_reset(body: &CompletePasswordReset) -> Result<(), ApiError> {
    send_empty(Request::post(account_api::PASSWORD_RESET_COMPLETION), Some(to_body(body))).await
}

/// `GET /api/v1/account/totp`.
pub async fn get_totp_status() -> Result<TotpStatus, ApiError> {
    get_json(account_api::ACCOUNT_TOTP).await
}

/// `POST /api/v1/account/totp/enrolment`.
pub async fn start_totp_enrolment() -> Result<TotpEnrolment, ApiError> {
    let response = send(Request::post(account_api::ACCOUNT_TOTP_ENROLMENT), None).await?;
    decode(response).await
}

/// `POST /api/v1/account/totp`.
pub async fn confirm_totp(body: &SecondFactor) -> Result<RecoveryCodes, ApiError> {
    send_json(Request::post(account_api::ACCOUNT_TOTP), body).await
}

/// `POST /api/v1/account/totp/recovery-codes` (`renew`: the new codes) or
/// `POST /api/v1/account/totp/removal` (`None`).
pub async fn second_factor_change(renew: bool, body: &SecondFactor) -> Result<Option<RecoveryCodes>, ApiError> {
    let path = if renew { account_api::ACCOUNT_RECOVERY_CODES } else { account_api::ACCOUNT_TOTP_REMOVAL };
    let response = send(Request::post(path), Some(to_body(body))).await?;
    if renew {
        decode(response).await.map(Some)
    } else {
        Ok(None)
    }
}

/// `GET /api/v1/organization/sign-in`, or `PUT` with `change` (the organization's Global Admin).
pub async fn sign_in_policy(change: Option<&OrganizationSignIn>) -> Result<OrganizationSignIn, ApiError> {
    let method = if change.is_some() { Request::put } else { Request::get };
    decode(send(method(account_api::ORGANIZATION_SIGN_IN), change.map(to_body)).await?).await
}

// --- Partner program -----------------------------------------------------------------------

pub async fn get_partner_program() -> Result<PartnerProgram, ApiError> {
    get_json(partner_api::PARTNER_PROGRAM).await
}

/// A partner-program change (`POST`/`PUT`/`DELETE` on a partner path); some answer without a
/// body (withdrawing), so the caller reads the program again.
pub async fn partner_change(method: Method, path: &str, body: Option<String>) -> Result<(), ApiError> {
    send(method.builder(path), body).await.map(|_| ())
}

pub async fn get_business_profile() -> Result<Option<BusinessProfile>, ApiError> {
    get_json(partner_api::PARTNER_BUSINESS_PROFILE).await
}

pub async fn save_business_profile(body: &BusinessProfileUpdate) -> Result<BusinessProfile, ApiError> {
    send_json(Request::put(partner_api::PARTNER_BUSINESS_PROFILE), body).await
}

// --- Vouchers ------------------------------------------------------------------------------

/// The most vouchers a list holds in the browser (filtering and sorting run on them there).
pub const VOUCHERS_IN_BROWSER: usize = 10_000;

/// The vouchers the caller may see, in expiry order, up to [`VOUCHERS_IN_BROWSER`].
#[derive(Debug, Clone, PartialEq)]
pub struct VoucherList {
    pub vouchers: Vec<VoucherView>,
    /// More vouchers exist than the list holds (the ones expiring last are left out).
    pub truncated: bool,
}

/// Follows the server's pages (the largest it gives) until the list is whole or full.
pub async fn list_vouchers() -> Result<VoucherList, ApiError> {
    let first = format!("{}?limit={}", voucher_api::VOUCHERS, MAX_PAGE_SIZE);
    let mut vouchers = Vec::new();
    let mut path = first.clone();
    loop {
        let page: VoucherPage = get_json(&path).await?;
        vouchers.extend(page.vouchers);
        match page.next {
            // The cursor is digits and a dot: safe in a query as it is.
            Some(next) if vouchers.len() < VOUCHERS_IN_BROWSER => path = format!("{first}&after={next}"),
            Some(_) => {
                vouchers.truncate(VOUCHERS_IN_BROWSER);
                return Ok(VoucherList { vouchers, truncated: true });
            }
            None => return Ok(VoucherList { vouchers, truncated: false }),
        }
    }
}

pub async fn get_voucher(voucher_id: &str) -> Result<VoucherView, ApiError> {
    get_json(&voucher_api::voucher_path(voucher_id)).await
}

pub async fn voucher_audit(voucher_id: &str) -> Result<Vec<AuditLine>, ApiError> {
    get_json(&voucher_api::voucher_audit_path(voucher_id)).await
}

pub async fn validate_voucher(voucher_id: &str, body: &ValidateVoucher) -> Result<VoucherPreview, ApiError> {
    send_json(Request::post(&voucher_api::voucher_validation_path(voucher_id)), body).await
}

pub async fn reserve_voucher(voucher_id: &str, body: &ReserveVoucher) -> Result<VoucherView, ApiError> {
    send_json(Request::post(&voucher_api::reservation_path(voucher_id)), body).await
}

pub async fn reschedule(voucher_id: &str, body: &RescheduleEngagement) -> Result<VoucherView, ApiError> {
    send_json(Request::put(&voucher_api::reservation_path(voucher_id)), body).await
}

pub async fn cancel_reservation(voucher_id: &str) -> Result<VoucherView, ApiError> {
    let response = send(Request::delete(&voucher_api::reservation_path(voucher_id)), None).await?;
    decode(response).await
}

pub async fn submit_completion_report(
    voucher_id: &str,
    body: &SubmitCompletionReport,
) -> Result<VoucherView, ApiError> {
    send_json(Request::post(&voucher_api::completion_report_path(voucher_id)), body).await
}

pub async fn redeem_voucher(voucher_id: &str) -> Result<VoucherView, ApiError> {
    let response = send(Request::post(&voucher_api::redemption_path(voucher_id)), None).await?;
    decode(response).await
}

pub async fn redeem_vouchers(body: &RedeemVouchers) -> Result<Vec<RedemptionOutcome>, ApiError> {
    send_json(Request::post(voucher_api::REDEMPTIONS), body).await
}

/// The address a browser downloads a stored deliverable from.
pub fn document_url(document_id: &str) -> String {
    voucher_api::document_path(document_id)
}

pub async fn inbox() -> Result<Vec<InboxLine>, ApiError> {
    get_json(voucher_api::INBOX).await
}

pub async fn mark_read(notification_id: i64) -> Result<(), ApiError> {
    send_empty(Request::post(&voucher_api::inbox_read_path(notification_id)), None).await
}

/// `POST /api/v1/documents` as multipart, through `XMLHttpRequest` because fetch cannot report
/// upload progress. `on_progress` receives whole percents.
pub async fn upload_document(file: web_sys::File, on_progress: impl Fn(u32) + 'static) -> Result<Document, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", &file, &file.name()).map_err(|_| ApiError::Network)?;
    let request = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    request.open("POST", voucher_api::DOCUMENTS).map_err(|_| ApiError::Network)?;
    let _ = request.set_request_header(api::CSRF_HEADER, &csrf_token());
    let _ = request.set_request_header("accept", "application/json");
    let progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
        if event.length_computable() && event.total() > 0.0 {
            on_progress(((event.loaded() / event.total()) * 100.0).round() as u32);
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        let resolve_load = resolve.clone();
        let on_load = Closure::once_into_js(move || {
            let _ = resolve_load.call1(&wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::TRUE);
        });
        let on_error = Closure::once_into_js(move || {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::FALSE);
        });
        request.set_onload(Some(on_load.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    request.send_with_opt_form_data(Some(&form)).map_err(|_| ApiError::Network)?;
    let loaded = wasm_bindgen_futures::JsFuture::from(done).await.map(|value| value.is_truthy()).unwrap_or(false);
    drop(progress);
    if !loaded {
        return Err(ApiError::Network);
    }
    let status = request.status().unwrap_or(0);
    let text = request.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| ApiError::Server(unreadable_body(status)))
    } else {
        Err(ApiError::Server(serde_json::from_str(&text).unwrap_or_else(|_| unreadable_body(status))))
    }
}

// --- Embed tokens (the widget) ---------------------------------------------------------------

pub async fn embed_tokens() -> Result<Vec<EmbedToken>, ApiError> {
    get_json(embed_api::EMBED_TOKENS).await
}

pub async fn create_embed_token(body: &CreateEmbedToken) -> Result<CreatedEmbedToken, ApiError> {
    send_json(Request::post(embed_api::EMBED_TOKENS), body).await
}

pub async fn revoke_embed_token(token_id: i64) -> Result<(), ApiError> {
    send_empty(Request::delete(&embed_api::embed_token_path(token_id)), None).await
}

// --- Payments ------------------------------------------------------------------------------

pub async fn payment_registrations() -> Result<Vec<SavbRegistration>, ApiError> {
    get_json(payment_api::PAYMENT_REGISTRATIONS).await
}

pub async fn register_payment_program(body: &RegisterPaymentProgram) -> Result<SavbRegistration, ApiError> {
    send_json(Request::post(payment_api::PAYMENT_REGISTRATIONS), body).await
}

/// The redeemed vouchers of one program that a payment request may include.
pub async fn payable_vouchers(program: OfferingCode) -> Result<Vec<PayableVoucher>, ApiError> {
    get_json(&format!("{}?program={}", payment_api::PAYABLE_VOUCHERS, partner_api::offering_key(program))).await
}

pub async fn payment_requests() -> Result<Vec<PaymentRequestView>, ApiError> {
    get_json(payment_api::PAYMENT_REQUESTS).await
}

pub async fn create_payment_request(body: &CreatePaymentRequest) -> Result<PaymentRequestView, ApiError> {
    send_json(Request::post(payment_api::PAYMENT_REQUESTS), body).await
}

/// Submits a draft; the idempotency key makes a retried click (or a lost answer) harmless.
pub async fn submit_payment_request(
    request_id: &str,
    body: &SubmitPaymentRequest,
    idempotency_key: &str,
) -> Result<PaymentRequestView, ApiError> {
    let request = Request::post(&payment_api::payment_submission_path(request_id))
        .header(payment_api::IDEMPOTENCY_KEY_HEADER, idempotency_key);
    send_json(request, body).await
}

// --- Customer: benefit, pools, vouchers ---------------------------------------------------

pub async fn enrollments() -> Result<Vec<Enrollment>, ApiError> {
    get_json(voucher_api::ENROLLMENTS).await
}

pub async fn activate_benefit(enrollment_id: String) -> Result<Enrollment, ApiError> {
    let response = send(Request::post(&voucher_api::enrollment_activation_path(&enrollment_id)), None).await?;
    decode(response).await
}

pub async fn pool_history(enrollment_id: String) -> Result<Vec<PoolEntry>, ApiError> {
    get_json(&voucher_api::enrollment_history_path(&enrollment_id)).await
}

pub async fn create_voucher(body: CreateVoucher) -> Result<VoucherView, ApiError> {
    send_json(Request::post(voucher_api::VOUCHERS), &body).await
}

/// The users of the caller's organization (administrators: to pick a project manager).
pub async fn users() -> Result<Vec<User>, ApiError> {
    get_json(api::USERS).await
}

// --- Partner directory (public) ------------------------------------------------------------

/// One page of the directory; `query` is the filters as URL parameters (`country=KR&…`).
pub async fn search_directory(query: String) -> Result<DirectoryPage, ApiError> {
    get_json(&format!("{}?{query}", partner_api::DIRECTORY_PARTNERS)).await
}

pub async fn partner_profile(partner_id: i64) -> Result<PublicPartnerProfile, ApiError> {
    get_json(&partner_api::directory_partner_path(partner_id)).await
}

// --- Program operator: review and dashboard ------------------------------------------------

pub async fn review_queue() -> Result<Vec<ReviewedPaymentRequestView>, ApiError> {
    get_json(payment_api::REVIEW_QUEUE).await
}

pub async fn review_detail(request_id: String) -> Result<ReviewedPaymentRequestView, ApiError> {
    get_json(&payment_api::review_path(&request_id)).await
}

/// The operator's decisions on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    Approve,
    Reject,
    Hold,
    Resume,
    MarkPaid,
}

/// Sends a decision; rejection and hold carry the reason.
pub async fn decide(
    request_id: String,
    decision: ReviewDecision,
    reason: Option<String>,
) -> Result<PaymentRequestView, ApiError> {
    let path = match decision {
        ReviewDecision::Approve => payment_api::approval_path(&request_id),
        ReviewDecision::Reject => payment_api::rejection_path(&request_id),
        ReviewDecision::Hold => payment_api::hold_path(&request_id),
        ReviewDecision::Resume => payment_api::resumption_path(&request_id),
        ReviewDecision::MarkPaid => payment_api::payment_path(&request_id),
    };
    let body = reason.map(|reason| to_body(&ReviewDecisionReason { reason }));
    let response = send(Request::post(&path), body).await?;
    decode(response).await
}

pub async fn operations_dashboard() -> Result<ProgramDashboard, ApiError> {
    get_json(operations_api::OPERATIONS_DASHBOARD).await
}

// --- The program's records of competencies and exams (operator) -----------------------------

/// `GET /api/v1/operations/partners?name=…`.
pub async fn find_partners(name: &str) -> Result<Vec<Organization>, ApiError> {
    get_json(&qualifications_api::operator_partners_path(name)).await
}

/// `GET /api/v1/operations/partners/{partner_id}`: the partner's program data.
pub async fn operator_partner_program(partner_id: i64) -> Result<PartnerProgram, ApiError> {
    get_json(&qualifications_api::operator_partner_path(partner_id)).await
}

/// `GET /api/v1/operations/partners/{partner_id}/audit`. Changes go through [`partner_change`].
pub async fn operator_partner_audit(partner_id: i64) -> Result<Vec<AuditLine>, ApiError> {
    get_json(&qualifications_api::operator_partner_audit_path(partner_id)).await
}

// --- Plumbing ------------------------------------------------------------------------------

/// The verbs the partner-program endpoints use.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Post,
    Put,
    Delete,
}

impl Method {
    fn builder(self, path: &str) -> RequestBuilder {
        match self {
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
            Method::Delete => Request::delete(path),
        }
    }
}

/// Serializes a request body; the wire types always serialize.
pub fn to_body(body: &impl Serialize) -> String {
    serde_json::to_string(body).unwrap_or_default()
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response =
        Request::get(path).header("accept", "application/json").send().await.map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn send_json<T: DeserializeOwned>(request: RequestBuilder, body: &impl Serialize) -> Result<T, ApiError> {
    let response = send(request, Some(to_body(body))).await?;
    decode(response).await
}

async fn send_empty(request: RequestBuilder, body: Option<String>) -> Result<(), ApiError> {
    send(request, body).await.map(|_| ())
}

/// Sends with the anti-forgery token; a non-2xx answer becomes [`ApiError::Server`].
async fn send(request: RequestBuilder, body: Option<String>) -> Result<Response, ApiError> {
    let request = request.header("accept", "application/json").header(api::CSRF_HEADER, &csrf_token());
    let request = match body {
        Some(body) => request.header("content-type", "application/json").body(body),
        None => request.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Server(unreadable_body(response.status())));
    }
    Err(error_of(response).await)
}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorView>().await {
        Ok(body) => ApiError::Server(body),
        Err(_) => ApiError::Server(unreadable_body(status)),
    }
}

/// A response that is not in the shared shape (a proxy's error page, say) still gets a message.
fn unreadable_body(status: u16) -> ErrorView {
    let code = match status {
        502..=504 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    ErrorView::new(code)
}
