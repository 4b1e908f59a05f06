//! `/api/v1/documents`: uploading a customer deliverable (multipart, checked by content) and
//! downloading it.
//!
//! The file is streamed to a temporary file while its SHA-256 is computed, checked by the domain
//! rules, then renamed to `data/documents/<sha256>`: content-addressed, so the stored name never
//! comes from the client and a document cannot be replaced once referenced.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::api::vouchers::{self as api, Document};
use planning_domain::document::{check_deliverable, DeliverableError, MAX_DELIVERABLE_BYTES};
use planning_domain::{ErrorCode, FieldError, Role};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::auth::{random_token, Authenticated};
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::vouchers::VoucherScope;

/// The multipart body may exceed the file by its headers; everything else is refused.
const UPLOAD_BODY_LIMIT: usize = MAX_DELIVERABLE_BYTES as usize + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::DOCUMENTS, post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
        .route(api::DOCUMENT_ROUTE, get(download))
}

fn refused(error: DeliverableError) -> ApiError {
    let code = if matches!(error, DeliverableError::TooLarge { .. }) {
        ErrorCode::PayloadTooLarge
    } else {
        ErrorCode::ValidationFailed
    };
    if code == ErrorCode::PayloadTooLarge {
        ApiError::rule(code, error)
    } else {
        ApiError::fields(vec![FieldError::new("file", error.into())])
    }
}

async fn upload(
    State(state): State<AppState>,
    caller: Authenticated,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Document>), ApiError> {
    caller.require_role(&[Role::MpnPartnerAdmin, Role::Consultant, Role::PartnerGlobalAdmin])?;
    tokio::fs::create_dir_all(&state.documents_dir).await.map_err(|error| ApiError::Internal(error.into()))?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| ApiError::code(ErrorCode::MalformedBody))? {
        if field.name() != Some("file") {
            continue;
        }
        let sent_name = field.file_name().unwrap_or_default().to_owned();
        let temporary = state.documents_dir.join(format!("upload-{}.part", random_token()));
        let mut file = tokio::fs::File::create(&temporary).await.map_err(|error| ApiError::Internal(error.into()))?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut first_bytes = Vec::with_capacity(8);
        let result: Result<(), ApiError> = async {
            while let Some(chunk) = field.chunk().await.map_err(|_| ApiError::code(ErrorCode::PayloadTooLarge))? {
                size += chunk.len() as u64;
                if size > MAX_DELIVERABLE_BYTES {
                    return Err(refused(DeliverableError::TooLarge {
                        max_megabytes: MAX_DELIVERABLE_BYTES / (1024 * 1024),
                    }));
                }
                if first_bytes.len() < 8 {
                    first_bytes.extend(chunk.iter().take(8 - first_bytes.len()));
                }
                hasher.update(&chunk);
                file.write_all(&chunk).await.map_err(|error| ApiError::Internal(error.into()))?;
            }
            file.sync_all().await.map_err(|error| ApiError::Internal(error.into()))?;
            Ok(())
        }
        .await;
        let checked = result.and_then(|()| check_deliverable(&sent_name, &first_bytes, size).map_err(refused));
        let checked = match checked {
            Ok(checked) => checked,
            Err(error) => {
                let _ = tokio::fs::remove_file(&temporary).await;
                return Err(error);
            }
        };
        let document_id: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
        let stored = state.documents_dir.join(&document_id);
        tokio::fs::rename(&temporary, &stored).await.map_err(|error| ApiError::Internal(error.into()))?;
        let document = Document {
            document_id,
            file_name: checked.file_name,
            content_type: checked.kind.content_type().to_owned(),
            size,
        };
        state.store.insert_document(&document, caller.organization_id(), wall_time()).await?;
        tracing::info!(document_id = %document.document_id, size, "deliverable uploaded");
        return Ok((StatusCode::CREATED, Json(document)));
    }
    Err(refused(DeliverableError::FileMissing))
}

/// Whether the caller may read the document: its uploader, the program operator, or the
/// customer whose voucher's completion report names it.
async fn may_read(
    state: &AppState,
    caller: &Authenticated,
    document_id: &str,
    uploader: i64,
) -> Result<bool, ApiError> {
    match caller.role() {
        Role::ProgramOperator => Ok(true),
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant => Ok(uploader == caller.organization_id()),
        Role::CustomerBenefitAdministrator | Role::CustomerProjectManager => {
            let scope = if caller.role() == Role::CustomerBenefitAdministrator {
                VoucherScope::Customer(caller.organization_id())
            } else {
                VoucherScope::Assignee(caller.user.email.clone())
            };
            let vouchers = state.store.vouchers(scope).await?;
            Ok(vouchers.iter().any(|stored| {
                stored
                    .voucher
                    .completion_report()
                    .is_some_and(|report| report.deliverable_document_ids.iter().any(|id| id == document_id))
            }))
        }
    }
}

async fn download(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(document_id): Path<String>,
) -> Result<Response, ApiError> {
    // Only hashes name stored files: anything else cannot be a path into the directory.
    if document_id.len() != 64 || !document_id.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(ApiError::not_found());
    }
    let Some((document, uploader)) = state.store.document(&document_id).await? else {
        return Err(ApiError::not_found());
    };
    if !may_read(&state, &caller, &document_id, uploader).await? {
        return Err(ApiError::not_found());
    }
    let bytes = tokio::fs::read(state.documents_dir.join(&document_id))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    let disposition = format!("attachment; filename=\"{}\"", document.file_name.replace(['"', '\\'], "_"));
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&document.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}
