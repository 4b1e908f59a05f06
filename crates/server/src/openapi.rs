//! The OpenAPI 3.1 document of `/api/v1`, served at `/api/v1/openapi.json`.
//!
//! Built from one table of operations whose paths are the domain crate's path constants and whose
//! schemas are derived from the domain's wire types (`utoipa::ToSchema`, behind the domain's
//! `openapi` feature), so the document cannot name a type the server does not send. The tests in
//! `tests/api/openapi.rs` check both directions, per method and path: every documented operation
//! is routed and no other method is, and every path constant and every route in `routes/`, with
//! each of its methods, is documented.

use std::collections::BTreeMap;

use axum::routing::get;
use axum::{Json, Router};
use planning_domain::api::{self, account, embed, operations, partners, payments, qualifications, vouchers};
use planning_domain::{eligibility, payment, ErrorBody};
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{ArrayBuilder, ComponentsBuilder, Object, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required, Schema,
};
use utoipa::ToSchema;

use crate::startup::AppState;

/// `GET`: this document.
pub const OPENAPI: &str = "/api/v1/openapi.json";

/// A named schema and how to collect it (with the schemas it refers to) into the components.
#[derive(Clone, Copy)]
pub struct SchemaRef {
    name: fn() -> String,
    collect: fn(&mut Vec<(String, RefOr<Schema>)>),
    array: bool,
}

fn collect<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// The schema of `T`.
pub fn one<T: ToSchema>() -> SchemaRef {
    SchemaRef { name: || T::name().into_owned(), collect: collect::<T>, array: false }
}

/// The schema of a JSON array of `T`.
pub fn list<T: ToSchema>() -> SchemaRef {
    SchemaRef { array: true, ..one::<T>() }
}

impl SchemaRef {
    fn reference(self) -> RefOr<Schema> {
        let reference = RefOr::Ref(Ref::from_schema_name((self.name)()));
        if self.array {
            RefOr::T(Schema::Array(ArrayBuilder::new().items(reference).build()))
        } else {
            reference
        }
    }
}

/// What a request carries.
#[derive(Clone, Copy)]
pub enum Body {
    Json(SchemaRef),
    /// `multipart/form-data` with one part named `file`.
    Upload,
}

/// Who may call an operation, as far as the document says (the roles are checked on the server).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    SignedIn,
    /// The widget's reads: `Authorization: Bearer` with an embed token, never a cookie.
    EmbedToken,
}

/// One documented operation.
#[derive(Clone)]
pub struct Operation {
    pub method: HttpMethod,
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub access: Access,
    pub request: Option<Body>,
    /// The success status and its body, if any.
    pub success: (u16, Option<SchemaRef>),
    /// Query parameters: (name, required).
    pub query: &'static [(&'static str, bool)],
    /// Request headers the operation requires.
    pub headers: &'static [&'static str],
}

fn operation(
    method: HttpMethod,
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    access: Access,
    request: Option<Body>,
    success: (u16, Option<SchemaRef>),
) -> Operation {
    Operation { method, path, summary, tag, access, request, success, query: &[], headers: &[] }
}

/// Every operation of the API.
pub fn operations() -> Vec<Operation> {
    use Access::{EmbedToken, Public, SignedIn};
    use HttpMethod::{Delete, Get, Options, Post, Put};
    let json = |schema| Some(Body::Json(schema));
    let mut operations = vec![
        operation(
            Get,
            api::HEALTH,
            "Liveness and a database round trip",
            "program",
            Public,
            None,
            (200, Some(one::<api::Health>())),
        ),
        operation(
            Get,
            api::PROGRAM,
            "The program timeline on the program date",
            "program",
            Public,
            None,
            (200, Some(one::<api::Program>())),
        ),
        operation(Get, OPENAPI, "This document", "program", Public, None, (200, None)),
        operation(
            Post,
            api::SESSION,
            "Sign in (a new session every time)",
            "session",
            Public,
            json(one::<api::SignIn>()),
            (200, Some(one::<api::Session>())),
        ),
        operation(
            Get,
            api::SESSION,
            "The current session and its anti-forgery token",
            "session",
            SignedIn,
            None,
            (200, Some(one::<api::Session>())),
        ),
        operation(Delete, api::SESSION, "Sign out", "session", SignedIn, None, (204, None)),
        operation(
            Post,
            account::SESSION_SECOND_FACTOR,
            "The second step of a two-step sign-in: a code from the authenticator app or a recovery code \
             (after `POST /api/v1/session` answered 401 `second_factor_required` with its cookie)",
            "session",
            Public,
            json(one::<account::SecondFactor>()),
            (200, Some(one::<api::Session>())),
        ),
        operation(
            Get,
            account::SESSION_PROVIDERS,
            "Which ways of signing in the server offers besides the password (single sign-on)",
            "session",
            Public,
            None,
            (200, Some(one::<account::SignInProviders>())),
        ),
        operation(
            Get,
            account::SESSION_OIDC_START,
            "Start a single sign-on: 303 to the OpenID provider (authorization code with PKCE), with a \
             short-lived cookie; 303 to the sign-in page with `sso_error` when single sign-on is off or unreachable",
            "session",
            Public,
            None,
            (303, None),
        ),
        Operation {
            query: &[("code", false), ("state", false), ("error", false)],
            ..operation(
                Get,
                account::SESSION_OIDC_CALLBACK,
                "The OpenID provider's redirect back: checks the state, exchanges the code with the PKCE verifier, \
                 verifies the ID token, and signs in the enabled user with its verified email (303 to the app, or \
                 to the sign-in page with `sso_error`)",
                "session",
                Public,
                None,
                (303, None),
            )
        },
        operation(
            Get,
            account::ORGANIZATION_SIGN_IN,
            "Whether the users of the caller's organization may sign in with a password (its Global Admin)",
            "account",
            SignedIn,
            None,
            (200, Some(one::<account::OrganizationSignIn>())),
        ),
        operation(
            Put,
            account::ORGANIZATION_SIGN_IN,
            "Allow or refuse password sign-in for the caller's organization (its Global Admin; audited); \
             refusing it is 422 `no_single_sign_on_to_rely_on` on a server without single sign-on",
            "account",
            SignedIn,
            json(one::<account::OrganizationSignIn>()),
            (200, Some(one::<account::OrganizationSignIn>())),
        ),
        operation(
            Put,
            account::ACCOUNT_PASSWORD,
            "Change the caller's password (the current one required); ends their other sessions",
            "account",
            SignedIn,
            json(one::<account::ChangePassword>()),
            (204, None),
        ),
        operation(
            Post,
            account::PASSWORD_RESETS,
            "Email a single-use reset link (30 minutes) if the address is an account's; the same answer either way",
            "account",
            Public,
            json(one::<account::RequestPasswordReset>()),
            (202, None),
        ),
        operation(
            Post,
            account::PASSWORD_RESET_COMPLETION,
            "Set a new password with a reset link's token; ends every session of the account",
            "account",
            Public,
            json(one::<account::CompletePasswordReset>()),
            (204, None),
        ),
        operation(
            Get,
            account::ACCOUNT_TOTP,
            "Whether the caller's two-step sign-in is on, required, and how many recovery codes are left",
            "account",
            SignedIn,
            None,
            (200, Some(one::<account::TotpStatus>())),
        ),
        operation(
            Post,
            account::ACCOUNT_TOTP,
            "Turn two-step sign-in on with a code from the app; answers the recovery codes, shown once",
            "account",
            SignedIn,
            json(one::<account::SecondFactor>()),
            (200, Some(one::<account::RecoveryCodes>())),
        ),
        operation(
            Post,
            account::ACCOUNT_TOTP_ENROLMENT,
            "Start (again) setting up an authenticator app: a new secret and its QR code",
            "account",
            SignedIn,
            None,
            (200, Some(one::<account::TotpEnrolment>())),
        ),
        operation(
            Post,
            account::ACCOUNT_TOTP_REMOVAL,
            "Turn two-step sign-in off with a current code from the app or an unused recovery code (403 \
             `two_factor_required` for a role the deployment requires it of); the user is notified",
            "account",
            SignedIn,
            json(one::<account::SecondFactor>()),
            (204, None),
        ),
        operation(
            Post,
            account::ACCOUNT_RECOVERY_CODES,
            "New recovery codes, shown this once, replacing the unused ones; with a current code from the app \
             or an unused recovery code; the user is notified",
            "account",
            SignedIn,
            json(one::<account::SecondFactor>()),
            (200, Some(one::<account::RecoveryCodes>())),
        ),
        operation(
            Get,
            api::USERS,
            "The users of the caller's organization (administrators)",
            "users",
            SignedIn,
            None,
            (200, Some(list::<api::User>())),
        ),
        operation(
            Post,
            api::USERS,
            "Add a user to the caller's organization (administrators)",
            "users",
            SignedIn,
            json(one::<api::NewUser>()),
            (201, Some(one::<api::User>())),
        ),
        operation(
            Post,
            api::USER_DISABLE_ROUTE,
            "Disable a user and end their sessions (administrators)",
            "users",
            SignedIn,
            None,
            (204, None),
        ),
        // Partner program, eligibility, enrollment, business profile.
        operation(
            Get,
            partners::PARTNER_PROGRAM,
            "The partner's program data",
            "partner",
            SignedIn,
            None,
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Get,
            partners::PARTNER_ELIGIBILITY,
            "The eligibility checklist on the program date",
            "partner",
            SignedIn,
            None,
            (200, Some(one::<eligibility::EligibilityReport>())),
        ),
        operation(
            Post,
            partners::PARTNER_AGREEMENT,
            "Sign the program agreement (Global Admin)",
            "partner",
            SignedIn,
            json(one::<partners::SignAgreement>()),
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Post,
            partners::PARTNER_RENEWAL,
            "Renew the yearly membership (Global Admin)",
            "partner",
            SignedIn,
            None,
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Post,
            partners::PARTNER_COMPLIANCE_TRAINING,
            "Record the compliance training (Global Admin)",
            "partner",
            SignedIn,
            None,
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Post,
            partners::PARTNER_ENROLLMENTS,
            "Enroll in an offering (Global Admin)",
            "partner",
            SignedIn,
            json(one::<partners::EnrollInOffering>()),
            (201, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Delete,
            partners::PARTNER_ENROLLMENT_ROUTE,
            "Withdraw from an offering (Global Admin)",
            "partner",
            SignedIn,
            None,
            (204, None),
        ),
        operation(
            Post,
            partners::PARTNER_LOCATIONS,
            "Add an MPN location (Global Admin)",
            "partner",
            SignedIn,
            json(one::<partners::NewLocation>()),
            (201, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Delete,
            partners::PARTNER_LOCATION_ROUTE,
            "Remove an MPN location (Global Admin)",
            "partner",
            SignedIn,
            None,
            (204, None),
        ),
        operation(
            Post,
            partners::PARTNER_CONSULTANTS,
            "Add a consultant (Global Admin)",
            "partner",
            SignedIn,
            json(one::<partners::NewConsultant>()),
            (201, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Get,
            partners::PARTNER_BUSINESS_PROFILE,
            "The business profile",
            "partner",
            SignedIn,
            None,
            (200, Some(one::<partners::BusinessProfile>())),
        ),
        operation(
            Put,
            partners::PARTNER_BUSINESS_PROFILE,
            "Update the business profile (Global Admin)",
            "partner",
            SignedIn,
            json(one::<partners::BusinessProfileUpdate>()),
            (200, Some(one::<partners::BusinessProfile>())),
        ),
        Operation {
            query: &[
                ("country", false),
                ("offering", false),
                ("competency", false),
                ("q", false),
                ("page", false),
                ("page_size", false),
            ],
            ..operation(
                Get,
                partners::DIRECTORY_PARTNERS,
                "Search the public partner directory",
                "directory",
                Public,
                None,
                (200, Some(one::<partners::DirectoryPage>())),
            )
        },
        operation(
            Get,
            partners::DIRECTORY_PARTNER_ROUTE,
            "One partner's public profile",
            "directory",
            Public,
            None,
            (200, Some(one::<partners::PublicPartnerProfile>())),
        ),
        // Customers and vouchers.
        operation(
            Get,
            vouchers::ENROLLMENTS,
            "The customer's licensing enrollments and day pools",
            "customer",
            SignedIn,
            None,
            (200, Some(list::<vouchers::Enrollment>())),
        ),
        operation(
            Post,
            vouchers::ENROLLMENT_ACTIVATION_ROUTE,
            "Activate Planning Services on an enrollment",
            "customer",
            SignedIn,
            None,
            (200, Some(one::<vouchers::Enrollment>())),
        ),
        operation(
            Get,
            vouchers::ENROLLMENT_HISTORY_ROUTE,
            "Every change of an enrollment's day pool",
            "customer",
            SignedIn,
            None,
            (200, Some(list::<vouchers::PoolEntry>())),
        ),
        Operation {
            query: &[("status", false), ("offering", false), ("q", false), ("after", false), ("limit", false)],
            ..operation(
                Get,
                vouchers::VOUCHERS,
                "One page of the vouchers the caller may see, by expiry date then number",
                "vouchers",
                SignedIn,
                None,
                (200, Some(one::<vouchers::VoucherPage>())),
            )
        },
        operation(
            Post,
            vouchers::VOUCHERS,
            "Create a voucher from the pool and assign it",
            "vouchers",
            SignedIn,
            json(one::<vouchers::CreateVoucher>()),
            (201, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Get,
            vouchers::VOUCHER_ROUTE,
            "One voucher",
            "vouchers",
            SignedIn,
            None,
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Post,
            vouchers::VOUCHER_VALIDATION_ROUTE,
            "Validate a voucher number with the voucher admin's email",
            "vouchers",
            SignedIn,
            json(one::<vouchers::ValidateVoucher>()),
            (200, Some(one::<vouchers::VoucherPreview>())),
        ),
        operation(
            Post,
            vouchers::RESERVATION_ROUTE,
            "Reserve a voucher (the first partner wins)",
            "vouchers",
            SignedIn,
            json(one::<vouchers::ReserveVoucher>()),
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Put,
            vouchers::RESERVATION_ROUTE,
            "Reschedule the engagement",
            "vouchers",
            SignedIn,
            json(one::<vouchers::RescheduleEngagement>()),
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Delete,
            vouchers::RESERVATION_ROUTE,
            "Cancel the reservation",
            "vouchers",
            SignedIn,
            None,
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Post,
            vouchers::COMPLETION_REPORT_ROUTE,
            "File the completion report with the deliverable",
            "vouchers",
            SignedIn,
            json(one::<vouchers::SubmitCompletionReport>()),
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Post,
            vouchers::REDEMPTION_ROUTE,
            "Redeem one voucher",
            "vouchers",
            SignedIn,
            None,
            (200, Some(one::<vouchers::VoucherView>())),
        ),
        operation(
            Post,
            vouchers::REDEMPTIONS,
            "Redeem several vouchers, with a result per voucher",
            "vouchers",
            SignedIn,
            json(one::<vouchers::RedeemVouchers>()),
            (200, Some(list::<vouchers::RedemptionOutcome>())),
        ),
        operation(
            Get,
            vouchers::VOUCHER_AUDIT_ROUTE,
            "Who did what to the voucher",
            "vouchers",
            SignedIn,
            None,
            (200, Some(list::<vouchers::AuditEntry>())),
        ),
        operation(
            Post,
            vouchers::DOCUMENTS,
            "Upload a customer deliverable (PDF, DOCX, PPTX, XLSX; 20 MiB)",
            "vouchers",
            SignedIn,
            Some(Body::Upload),
            (201, Some(one::<vouchers::Document>())),
        ),
        operation(Get, vouchers::DOCUMENT_ROUTE, "Download a deliverable", "vouchers", SignedIn, None, (200, None)),
        operation(
            Get,
            vouchers::INBOX,
            "The caller's notifications, newest first",
            "inbox",
            SignedIn,
            None,
            (200, Some(list::<vouchers::Notification>())),
        ),
        operation(Post, vouchers::INBOX_READ_ROUTE, "Mark a notification read", "inbox", SignedIn, None, (204, None)),
        // Payments (SAVB) and the operator's review.
        operation(
            Get,
            payments::PAYMENT_REGISTRATIONS,
            "The organization's SAVB registrations",
            "payments",
            SignedIn,
            None,
            (200, Some(list::<payment::SavbRegistration>())),
        ),
        operation(
            Post,
            payments::PAYMENT_REGISTRATIONS,
            "Register for a program (Global Admin)",
            "payments",
            SignedIn,
            json(one::<payments::RegisterPaymentProgram>()),
            (201, Some(one::<payment::SavbRegistration>())),
        ),
        Operation {
            query: &[("program", true), ("country", false), ("location_id", false)],
            ..operation(
                Get,
                payments::PAYABLE_VOUCHERS,
                "Redeemed vouchers that can be claimed",
                "payments",
                SignedIn,
                None,
                (200, Some(list::<payments::PayableVoucher>())),
            )
        },
        operation(
            Get,
            payments::PAYMENT_REQUESTS,
            "The organization's payment requests",
            "payments",
            SignedIn,
            None,
            (200, Some(list::<payments::PaymentRequestView>())),
        ),
        operation(
            Post,
            payments::PAYMENT_REQUESTS,
            "Draft a payment request",
            "payments",
            SignedIn,
            json(one::<payments::CreatePaymentRequest>()),
            (201, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Get,
            payments::PAYMENT_REQUEST_ROUTE,
            "One payment request",
            "payments",
            SignedIn,
            None,
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Put,
            payments::PAYMENT_REQUEST_ROUTE,
            "Edit a draft",
            "payments",
            SignedIn,
            json(one::<payments::RevisePaymentRequest>()),
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        Operation {
            headers: &[payments::IDEMPOTENCY_KEY_HEADER],
            ..operation(
                Post,
                payments::PAYMENT_SUBMISSION_ROUTE,
                "Submit a draft (idempotent by key)",
                "payments",
                SignedIn,
                json(one::<payments::SubmitPaymentRequest>()),
                (200, Some(one::<payments::PaymentRequestView>())),
            )
        },
        operation(
            Get,
            payments::PAYMENT_AUDIT_ROUTE,
            "Who did what to the request",
            "payments",
            SignedIn,
            None,
            (200, Some(list::<payments::PaymentAuditEntry>())),
        ),
        operation(
            Get,
            payments::REVIEW_QUEUE,
            "Requests awaiting review, with their checklists (operator)",
            "review",
            SignedIn,
            None,
            (200, Some(list::<payments::ReviewedPaymentRequest>())),
        ),
        operation(
            Get,
            payments::REVIEW_ROUTE,
            "One request with its checklist (operator)",
            "review",
            SignedIn,
            None,
            (200, Some(one::<payments::ReviewedPaymentRequest>())),
        ),
        operation(
            Post,
            payments::APPROVAL_ROUTE,
            "Approve (every checklist item met)",
            "review",
            SignedIn,
            None,
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Post,
            payments::REJECTION_ROUTE,
            "Reject with a reason",
            "review",
            SignedIn,
            json(one::<payments::ReviewDecisionReason>()),
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Post,
            payments::HOLD_ROUTE,
            "Put on hold with a reason",
            "review",
            SignedIn,
            json(one::<payments::ReviewDecisionReason>()),
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Post,
            payments::RESUMPTION_ROUTE,
            "Resume a request on hold",
            "review",
            SignedIn,
            None,
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        operation(
            Post,
            payments::PAYMENT_ROUTE,
            "Mark paid",
            "review",
            SignedIn,
            None,
            (200, Some(one::<payments::PaymentRequestView>())),
        ),
        // The program operator's records of partners' competencies and passed exams.
        Operation {
            query: &[("name", false)],
            ..operation(
                Get,
                qualifications::OPERATOR_PARTNERS,
                "Find partners by name (operator)",
                "operations",
                SignedIn,
                None,
                (200, Some(list::<api::Organization>())),
            )
        },
        operation(
            Get,
            qualifications::OPERATOR_PARTNER_ROUTE,
            "A partner's program data with its competency and exam records (operator)",
            "operations",
            SignedIn,
            None,
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Get,
            qualifications::OPERATOR_PARTNER_AUDIT_ROUTE,
            "The audit trail of a partner's competency and exam records, newest first (operator)",
            "operations",
            SignedIn,
            None,
            (200, Some(list::<vouchers::AuditLine>())),
        ),
        operation(
            Put,
            qualifications::OPERATOR_COMPETENCY_ROUTE,
            "Record or change a partner's competency, in force from the program date (operator)",
            "operations",
            SignedIn,
            json(one::<partners::SetCompetency>()),
            (200, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Delete,
            qualifications::OPERATOR_COMPETENCY_ROUTE,
            "Remove a partner's competency from the program date (operator)",
            "operations",
            SignedIn,
            None,
            (204, None),
        ),
        operation(
            Post,
            qualifications::OPERATOR_EXAMS_ROUTE,
            "Record an exam a partner's consultant passed (operator)",
            "operations",
            SignedIn,
            json(one::<partners::NewPassedExam>()),
            (201, Some(one::<partners::PartnerProgram>())),
        ),
        operation(
            Delete,
            qualifications::OPERATOR_EXAM_ROUTE,
            "Remove a consultant's exam record from the program date (operator)",
            "operations",
            SignedIn,
            None,
            (204, None),
        ),
        // Embed tokens and the widget's reads (CORS for the token's origins).
        operation(
            Get,
            embed::EMBED_TOKENS,
            "The caller's embed tokens, newest first",
            "embed",
            SignedIn,
            None,
            (200, Some(list::<embed::EmbedToken>())),
        ),
        operation(
            Post,
            embed::EMBED_TOKENS,
            "Create an embed token for a visible voucher or the caller's partner profile; the secret and snippet are shown once",
            "embed",
            SignedIn,
            json(one::<embed::CreateEmbedToken>()),
            (201, Some(one::<embed::CreatedEmbedToken>())),
        ),
        operation(
            Delete,
            embed::EMBED_TOKEN_ROUTE,
            "Revoke one of the caller's embed tokens",
            "embed",
            SignedIn,
            None,
            (200, Some(one::<embed::EmbedToken>())),
        ),
        operation(
            Get,
            embed::EMBED_VOUCHER_ROUTE,
            "The widget's voucher card (embed token for this voucher; CORS for the token's origins)",
            "embed",
            EmbedToken,
            None,
            (200, Some(one::<embed::EmbedVoucherCard>())),
        ),
        operation(
            Get,
            embed::EMBED_PARTNER_ROUTE,
            "The widget's eligibility badge (embed token for this partner; CORS for the token's origins)",
            "embed",
            EmbedToken,
            None,
            (200, Some(one::<embed::EmbedEligibilityBadge>())),
        ),
        Operation {
            headers: &["Origin"],
            ..operation(
                Options,
                embed::EMBED_VOUCHER_ROUTE,
                "CORS preflight of the widget's voucher card: 204 with the CORS headers for an origin some live embed token allows, else 403",
                "embed",
                Public,
                None,
                (204, None),
            )
        },
        Operation {
            headers: &["Origin"],
            ..operation(
                Options,
                embed::EMBED_PARTNER_ROUTE,
                "CORS preflight of the widget's eligibility badge: 204 with the CORS headers for an origin some live embed token allows, else 403",
                "embed",
                Public,
                None,
                (204, None),
            )
        },
        operation(
            Get,
            operations::OPERATIONS_DASHBOARD,
            "Vouchers by state, days reserved and redeemed, payment requests by status (operator)",
            "operations",
            SignedIn,
            None,
            (200, Some(one::<operations::ProgramDashboard>())),
        ),
    ];
    operations.sort_by_key(|operation| operation.path);
    operations
}

/// The error statuses every operation may answer, with the shared body.
const ERROR_STATUSES: [(&str, &str); 9] = [
    ("400", "The body, query or header could not be read"),
    ("401", "No valid session"),
    ("403", "The role may not do this, or the request came from another site"),
    ("404", "No such resource, or not the caller's to see"),
    ("409", "The resource changed first, or is in the wrong state"),
    ("413", "The body is larger than allowed"),
    ("415", "The body is not JSON"),
    ("422", "A rule refused the request; see `rule` and `fields`"),
    ("429", "Too many attempts; see Retry-After"),
];

/// Path parameters the handlers read as `i64` (`Path<i64>`): integers in the document, so a
/// client (or a fuzzer) is told that any other text is refused with 400.
const INTEGER_PATH_PARAMETERS: &[&str] = &["consultant_id", "notification_id", "partner_id", "token_id", "user_id"];

/// The document.
pub fn document() -> OpenApi {
    let mut schemas = Vec::new();
    collect::<ErrorBody>(&mut schemas);
    let mut paths: BTreeMap<&str, PathItem> = BTreeMap::new();
    for operation in operations() {
        let mut builder = OperationBuilder::new()
            .summary(Some(operation.summary))
            .tag(operation.tag)
            .operation_id(Some(operation_id(&operation)));
        for segment in operation.path.split('/').filter(|segment| segment.starts_with('{')) {
            let name = segment.trim_matches(|character| character == '{' || character == '}');
            let parameter = string_parameter(name, ParameterIn::Path, true);
            builder = builder.parameter(if INTEGER_PATH_PARAMETERS.contains(&name) {
                parameter.schema(Some(Object::with_type(Type::Integer)))
            } else {
                parameter
            });
        }
        for (name, required) in operation.query {
            builder = builder.parameter(string_parameter(name, ParameterIn::Query, *required));
        }
        for header in operation.headers {
            builder = builder.parameter(string_parameter(header, ParameterIn::Header, true));
        }
        builder = match operation.request {
            Some(Body::Json(schema)) => {
                (schema.collect)(&mut schemas);
                builder.request_body(Some(
                    RequestBodyBuilder::new()
                        .content("application/json", ContentBuilder::new().schema(Some(schema.reference())).build())
                        .required(Some(Required::True))
                        .build(),
                ))
            }
            Some(Body::Upload) => builder.request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "multipart/form-data",
                        ContentBuilder::new().schema(Some(Object::with_type(Type::Object))).build(),
                    )
                    .required(Some(Required::True))
                    .build(),
            )),
            None => builder,
        };
        let (status, body) = operation.success;
        let mut success = ResponseBuilder::new().description("Success");
        if let Some(schema) = body {
            (schema.collect)(&mut schemas);
            success =
                success.content("application/json", ContentBuilder::new().schema(Some(schema.reference())).build());
        }
        let mut responses = ResponsesBuilder::new().response(status.to_string(), success.build());
        for (code, description) in ERROR_STATUSES {
            let error = ContentBuilder::new().schema(Some(one::<ErrorBody>().reference())).build();
            responses = responses.response(
                code,
                ResponseBuilder::new().description(description).content("application/json", error).build(),
            );
        }
        builder = builder.responses(responses.build());
        match operation.access {
            Access::SignedIn => {
                builder = builder.security(SecurityRequirement::new("session", Vec::<String>::new()));
            }
            Access::EmbedToken => {
                builder = builder.security(SecurityRequirement::new("embed_token", Vec::<String>::new()));
            }
            Access::Public => {}
        }
        let item = paths.remove(operation.path).unwrap_or_default();
        let mut item = item;
        item.merge_operations(PathItem::new(operation.method, builder.build()));
        paths.insert(operation.path, item);
    }
    let mut paths_builder = PathsBuilder::new();
    for (path, item) in paths {
        paths_builder = paths_builder.path(path, item);
    }
    let mut components = ComponentsBuilder::new()
        .security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "portal_session",
                "The session cookie set by POST /api/v1/session (`__Host-portal_session` behind TLS). State-changing \
             requests also carry the session's anti-forgery token in `x-csrf-token`.",
            ))),
        )
        .security_scheme(
            "embed_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An embed token (`pwt_…`) created with POST /api/v1/embed-tokens; read-only, for one \
                     voucher or partner, until it expires or is revoked. Cookies are ignored on these routes.",
                    ))
                    .build(),
            ),
        );
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Planning Services voucher portal API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The whole Software Assurance Planning Services workflow. Errors always use the ErrorBody \
                     shape; rule errors carry their words in English and Korean.",
                ))
                .build(),
        )
        .paths(paths_builder.build())
        .components(Some(components.build()))
        .build()
}

/// A text parameter of the path, the query or the headers.
fn string_parameter(name: &str, location: ParameterIn, required: bool) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(location)
        .required(if required { Required::True } else { Required::False })
        .schema(Some(Object::with_type(Type::String)))
}

fn operation_id(operation: &Operation) -> String {
    let method = method_name(&operation.method);
    let path: String = operation
        .path
        .trim_start_matches("/api/v1/")
        .chars()
        .map(|character| if character.is_ascii_alphanumeric() { character } else { '_' })
        .collect();
    format!("{method}_{}", path.trim_matches('_').replace("__", "_"))
}

/// The lower-case name of a method, as in operation ids and the document's path items.
pub fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Delete => "delete",
        HttpMethod::Options => "options",
        HttpMethod::Head => "head",
        HttpMethod::Patch => "patch",
        HttpMethod::Trace => "trace",
    }
}

pub fn router() -> Router<AppState> {
    let document = document();
    Router::new().route(OPENAPI, get(move || std::future::ready(Json(document.clone()))))
}
