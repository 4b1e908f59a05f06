//! Fuzzes the domain's parsers of several arguments: `BoundedText` with bounds, expertise tags,
//! an embed token's origins and life, and a deliverable's name, first bytes and size. None
//! panics; what each accepts keeps its promises; each refusal has words in both languages.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use planning_domain::document::{check_deliverable, MAX_DELIVERABLE_BYTES, MAX_FILE_NAME_CHARS};
use planning_domain::embed::{check_allowed_origins, check_token_life, MAX_ALLOWED_ORIGINS};
use planning_domain::profile::{parse_tags, TagKind, TAGS_MAX_COUNT};
use planning_domain::{BoundedText, Locale, Localize};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    min: u8,
    max: u8,
    text: &'a str,
    kind: TagChoice,
    tags: Vec<String>,
    origins: Vec<String>,
    life_days: u32,
    file_name: &'a str,
    first_bytes: &'a [u8],
    size: u64,
}

#[derive(Debug, Arbitrary)]
enum TagChoice {
    Industry,
    Product,
    ServiceType,
}

fn explained<E: Localize>(error: &E) {
    assert!(!error.message(Locale::En).is_empty() && !error.message(Locale::Ko).is_empty());
}

fuzz_target!(|input: Input<'_>| {
    let (min, max) = (usize::from(input.min % 16), usize::from(input.max));
    match BoundedText::parse(input.text, min, max) {
        Ok(bounded) => {
            assert_eq!(bounded.as_str(), bounded.as_str().trim());
            assert!(!bounded.as_str().chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
            assert_eq!(BoundedText::parse(bounded.as_str(), min, max), Ok(bounded.clone()));
        }
        Err(error) => explained(&error),
    }

    let kind = match input.kind {
        TagChoice::Industry => TagKind::Industry,
        TagChoice::Product => TagKind::Product,
        TagChoice::ServiceType => TagKind::ServiceType,
    };
    match parse_tags(kind, &input.tags) {
        Ok(tags) => {
            assert!(tags.len() <= TAGS_MAX_COUNT && tags.len() == input.tags.len());
            for (index, tag) in tags.iter().enumerate() {
                assert!(!tag.is_empty() && tag == tag.trim());
                assert!(tags[..index].iter().all(|earlier| earlier.to_lowercase() != tag.to_lowercase()));
            }
            assert_eq!(parse_tags(kind, &tags), Ok(tags.clone()));
        }
        Err(error) => explained(&error),
    }

    match check_allowed_origins(&input.origins) {
        Ok(origins) => {
            assert!((1..=MAX_ALLOWED_ORIGINS).contains(&origins.len()));
            let again: Vec<String> = origins.iter().map(|origin| origin.as_str().to_owned()).collect();
            assert_eq!(check_allowed_origins(&again), Ok(origins));
        }
        Err(error) => explained(&error),
    }
    match check_token_life(input.life_days) {
        Ok(days) => assert!(days >= 1 && days == input.life_days),
        Err(error) => explained(&error),
    }

    match check_deliverable(input.file_name, input.first_bytes, input.size) {
        Ok(checked) => {
            assert!(input.size > 0 && input.size <= MAX_DELIVERABLE_BYTES);
            let name = &checked.file_name;
            // Stored and sent back in a header: one path component, nothing a file system or a
            // header reads specially.
            assert!(!name.is_empty() && name.chars().count() <= MAX_FILE_NAME_CHARS);
            assert!(!name.contains(['/', '\\', '"', ':', '*', '?', '<', '>', '|']) && !name.starts_with('.'));
            assert!(!name.chars().any(char::is_control));
            assert!(name.to_ascii_lowercase().ends_with(&format!(".{}", extension_of(checked.kind))));
            assert_eq!(check_deliverable(name, input.first_bytes, input.size), Ok(checked));
        }
        Err(error) => explained(&error),
    }
});

fn extension_of(kind: planning_domain::document::DeliverableType) -> &'static str {
    use planning_domain::document::DeliverableType;
    match kind {
        DeliverableType::Pdf => "pdf",
        DeliverableType::Docx => "docx",
        DeliverableType::Pptx => "pptx",
        DeliverableType::Xlsx => "xlsx",
    }
}
