//! Rules for an uploaded customer deliverable (DOMAIN.md §9): size, type judged by the content
//! (not the name or the declared type), and a file name safe to store and to send back.
//!
//! Choices: PDF and the Office Open XML formats (DOCX, PPTX, XLSX) are accepted, as the
//! deliverables are plans and reports; at most 20 MiB. A ZIP-based file must carry the extension
//! of its Office format, since the ZIP signature alone does not tell them apart.

use serde::{Deserialize, Serialize};

use crate::locale::{Locale, Localize};

/// The largest deliverable accepted.
pub const MAX_DELIVERABLE_BYTES: u64 = 20 * 1024 * 1024;
/// The longest stored file name, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// A deliverable format the portal accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliverableType {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
}

impl DeliverableType {
    pub fn content_type(self) -> &'static str {
        match self {
            DeliverableType::Pdf => "application/pdf",
            DeliverableType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            DeliverableType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            DeliverableType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            DeliverableType::Pdf => "pdf",
            DeliverableType::Docx => "docx",
            DeliverableType::Pptx => "pptx",
            DeliverableType::Xlsx => "xlsx",
        }
    }
}

/// A checked deliverable: its safe file name and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDeliverable {
    pub file_name: String,
    pub kind: DeliverableType,
}

/// Checks a deliverable from its name as sent, its first bytes (at least 8) and its size.
pub fn check_deliverable(
    file_name: &str,
    first_bytes: &[u8],
    size: u64,
) -> Result<CheckedDeliverable, DeliverableError> {
    if size == 0 {
        return Err(DeliverableError::Empty);
    }
    if size > MAX_DELIVERABLE_BYTES {
        return Err(DeliverableError::TooLarge { max_megabytes: MAX_DELIVERABLE_BYTES / (1024 * 1024) });
    }
    let file_name = safe_file_name(file_name)?;
    let extension = file_name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default();
    let kind = if first_bytes.starts_with(b"%PDF-") {
        DeliverableType::Pdf
    } else if first_bytes.starts_with(b"PK\x03\x04") {
        match extension.as_str() {
            "docx" => DeliverableType::Docx,
            "pptx" => DeliverableType::Pptx,
            "xlsx" => DeliverableType::Xlsx,
            _ => return Err(DeliverableError::TypeNotAllowed),
        }
    } else {
        return Err(DeliverableError::TypeNotAllowed);
    };
    if extension != kind.extension() {
        return Err(DeliverableError::ExtensionMismatch);
    }
    Ok(CheckedDeliverable { file_name, kind })
}

/// The last path component of `name`, without control characters or characters that mean
/// something to a file system or a header, and not starting with a dot.
fn safe_file_name(name: &str) -> Result<String, DeliverableError> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|character| !character.is_control() && !matches!(character, '"' | ':' | '*' | '?' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() || cleaned == ".." {
        return Err(DeliverableError::FileNameInvalid);
    }
    if cleaned.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(DeliverableError::FileNameTooLong { max: MAX_FILE_NAME_CHARS });
    }
    Ok(cleaned)
}

/// Why a deliverable was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliverableError {
    #[error("{}", self.message(Locale::En))]
    Empty,
    #[error("{}", self.message(Locale::En))]
    TooLarge { max_megabytes: u64 },
    #[error("{}", self.message(Locale::En))]
    TypeNotAllowed,
    #[error("{}", self.message(Locale::En))]
    ExtensionMismatch,
    #[error("{}", self.message(Locale::En))]
    FileNameInvalid,
    #[error("{}", self.message(Locale::En))]
    FileNameTooLong { max: usize },
    #[error("{}", self.message(Locale::En))]
    FileMissing,
}

impl Localize for DeliverableError {
    fn message(&self, locale: Locale) -> String {
        let en = locale == Locale::En;
        match self {
            DeliverableError::Empty => if en { "The file is empty." } else { "파일이 비어 있습니다." }.to_owned(),
            DeliverableError::TooLarge { max_megabytes } => {
                if en {
                    format!("The file is larger than {max_megabytes} MB. Compress images or split the document.")
                } else {
                    format!("파일이 {max_megabytes}MB보다 큽니다. 이미지를 압축하거나 문서를 나누세요.")
                }
            }
            DeliverableError::TypeNotAllowed => if en {
                "Upload the deliverable as PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx)."
            } else {
                "결과물은 PDF, Word(.docx), PowerPoint(.pptx) 또는 Excel(.xlsx) 파일로 올리세요."
            }
            .to_owned(),
            DeliverableError::ExtensionMismatch => if en {
                "The file's name does not match its content. Save it again with its proper extension."
            } else {
                "파일 이름의 확장자가 내용과 맞지 않습니다. 올바른 확장자로 다시 저장하세요."
            }
            .to_owned(),
            DeliverableError::FileNameInvalid => {
                if en { "Give the file a name." } else { "파일 이름을 지정하세요." }.to_owned()
            }
            DeliverableError::FileNameTooLong { max } => {
                if en {
                    format!("The file name is longer than {max} characters.")
                } else {
                    format!("파일 이름이 {max}자를 넘습니다.")
                }
            }
            DeliverableError::FileMissing => if en {
                "Choose the deliverable file to upload."
            } else {
                "올릴 결과물 파일을 선택하세요."
            }
            .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_pdf_is_recognised_by_its_content() {
        let checked = check_deliverable("Plan.pdf", b"%PDF-1.7\n", 1000).unwrap();
        assert_eq!(checked, CheckedDeliverable { file_name: "Plan.pdf".into(), kind: DeliverableType::Pdf });
    }

    #[test]
    fn twenty_megabytes_pass_and_one_byte_more_does_not() {
        assert!(check_deliverable("a.pdf", b"%PDF-1.7", MAX_DELIVERABLE_BYTES).is_ok());
        let error = check_deliverable("a.pdf", b"%PDF-1.7", MAX_DELIVERABLE_BYTES + 1).unwrap_err();
        assert_eq!(error.to_string(), "The file is larger than 20 MB. Compress images or split the document.");
    }

    #[test]
    fn an_executable_named_pdf_is_refused() {
        assert_eq!(check_deliverable("plan.pdf", b"MZ\x90\x00\x03\x00", 100), Err(DeliverableError::TypeNotAllowed));
    }

    #[test]
    fn a_pdf_named_docx_is_refused() {
        assert_eq!(check_deliverable("plan.docx", b"%PDF-1.7", 100), Err(DeliverableError::ExtensionMismatch));
    }

    #[test]
    fn office_files_need_their_extension() {
        assert_eq!(check_deliverable("deck.pptx", b"PK\x03\x04rest", 100).unwrap().kind, DeliverableType::Pptx);
        assert_eq!(check_deliverable("archive.zip", b"PK\x03\x04rest", 100), Err(DeliverableError::TypeNotAllowed));
    }

    #[test]
    fn path_components_and_dangerous_characters_are_removed() {
        let checked = check_deliverable("../../etc/passwd<>.pdf", b"%PDF-1.4", 10).unwrap();
        assert_eq!(checked.file_name, "passwd.pdf");
        let windows = check_deliverable("C:\\Users\\kim\\Report.pdf", b"%PDF-1.4", 10).unwrap();
        assert_eq!(windows.file_name, "Report.pdf");
        assert_eq!(check_deliverable("../..", b"%PDF-1.4", 10), Err(DeliverableError::FileNameInvalid));
        assert_eq!(check_deliverable(".pdf", b"%PDF-1.4", 10).unwrap_err(), DeliverableError::ExtensionMismatch);
    }

    #[test]
    fn an_empty_file_is_refused_in_both_languages() {
        let error = check_deliverable("a.pdf", b"", 0).unwrap_err();
        assert_eq!(error, DeliverableError::Empty);
        assert_ne!(error.message(Locale::Ko), error.message(Locale::En));
    }
}
