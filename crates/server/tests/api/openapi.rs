//! The OpenAPI document against the code, both ways and per operation (method and path): every
//! documented operation is routed and a documented path answers no other method, and every path
//! constant of the domain crate and every route of the server, with each of its methods, is
//! documented.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::helpers::spawn_app;

async fn document() -> (crate::helpers::TestApp, Value) {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    (app, document)
}

fn concrete(path: &str) -> String {
    path.split('/').map(|segment| if segment.starts_with('{') { "0" } else { segment }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let (_app, document) = document().await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut references = Vec::new();
    fn walk(value: &Value, references: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(reference)) => references.push(reference.clone()),
                        _ => walk(value, references),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, references)),
            _ => {}
        }
    }
    walk(&document, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let name = reference.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "unresolved {reference}");
    }
}

/// The methods a route may have. `HEAD` is not among them: axum answers it for every `GET`.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/// `(METHOD, path)` for every operation of the document.
fn documented_operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_no_other_method_is() {
    let (app, document) = document().await;
    let documented = documented_operations(&document);
    assert!(documented.len() > 60, "{documented:?}");
    for (path, item) in document["paths"].as_object().unwrap() {
        let url = app.url(&concrete(path));
        for method in METHODS {
            let is_documented = documented.contains(&(method.to_owned(), path.clone()));
            let request = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let status = app.client.request(request, &url).send().await.unwrap().status().as_u16();
            // A method the path does not have is 405 (an unknown path would be the API's 404, so
            // the 405s also show the path is routed; no path documents every method).
            if !is_documented {
                assert_eq!(status, 405, "{method} {path} is routed (answered {status}) but not documented");
                continue;
            }
            assert_ne!(status, 405, "{method} {path} is documented but not routed");
            if item[method.to_lowercase()].get("security").is_some() {
                assert_eq!(status, 401, "{method} {path} is documented as needing a session");
            }
        }
    }
}

/// `NAME -> "/api/v1/…"` for every path constant of the domain crate's `api` modules.
fn domain_path_constants() -> BTreeMap<String, String> {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/src");
    let mut files = vec![api.join("api.rs")];
    for entry in std::fs::read_dir(api.join("api")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut constants = BTreeMap::new();
    for file in files {
        // rustfmt puts a long constant's value on the next line: join it back first.
        let text = std::fs::read_to_string(&file).unwrap().replace("&str =\n    \"", "&str = \"");
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else { continue };
            let Some((name, value)) = rest.split_once(": &str = \"") else { continue };
            let value = value.trim_end_matches("\";");
            if value.starts_with("/api/v1/") {
                constants.insert(name.to_owned(), value.to_owned());
            }
        }
    }
    constants.insert("OPENAPI".to_owned(), "/api/v1/openapi.json".to_owned());
    constants
}

#[tokio::test]
async fn every_path_constant_is_documented() {
    let (_app, document) = document().await;
    let documented: BTreeSet<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    let constants = domain_path_constants();
    assert!(constants.len() > 40, "{constants:?}");
    for (name, path) in constants {
        assert!(documented.contains(path.as_str()), "{name} = {path} is not in the document");
    }
}

/// The end of the parenthesised text that starts at `text[0]` (an opening parenthesis).
fn closing_parenthesis(text: &str) -> usize {
    let mut depth = 0;
    for (index, character) in text.char_indices() {
        match character {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in {text}");
}

/// `(METHOD, path)` for every `.route(PATH_CONSTANT, get(…).post(…)…)` of the server's source,
/// with the file it is in.
fn routed_operations() -> Vec<(String, String, String)> {
    let constants = domain_path_constants();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![source.join("openapi.rs"), source.join("routes.rs")];
    for entry in std::fs::read_dir(source.join("routes")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut operations = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (index, _) in text.match_indices(".route(") {
            let call = &text[index + ".route".len()..];
            let arguments = &call[1..closing_parenthesis(call)];
            let (path, method_router) = arguments.split_once(',').unwrap();
            let path = path.trim();
            if matches!(path, "\"/api\"" | "\"/api/{*rest}\"") {
                continue; // the JSON 404 for unknown API paths
            }
            let name = path.rsplit("::").next().unwrap();
            let path = constants
                .get(name)
                .unwrap_or_else(|| panic!("{}: .route({path}, …) is not a documented path constant", file.display()));
            let mut methods = 0;
            for method in METHODS {
                let function = format!("{}(", method.to_lowercase());
                // `get(…)` at the start of the method router or `.post(…)` in its chain.
                let starts = method_router.trim_start().starts_with(&function);
                if starts || method_router.contains(&format!(".{function}")) {
                    operations.push((method.to_owned(), path.clone(), file.display().to_string()));
                    methods += 1;
                }
            }
            assert!(methods > 0, "{}: no method found in .route({arguments})", file.display());
        }
    }
    operations
}

#[tokio::test]
async fn every_routed_operation_is_documented() {
    let (_app, document) = document().await;
    let documented = documented_operations(&document);
    let routed = routed_operations();
    assert!(routed.len() > 60, "found only {} routed operations", routed.len());
    for (method, path, file) in &routed {
        assert!(
            documented.contains(&(method.clone(), path.clone())),
            "{file}: {method} {path} is routed but not in the OpenAPI document"
        );
    }
    // And the other way, read from the same source: every documented operation has its route.
    let routed: BTreeSet<(String, String)> = routed.into_iter().map(|(method, path, _)| (method, path)).collect();
    for (method, path) in &documented {
        assert!(routed.contains(&(method.clone(), path.clone())), "{method} {path} is documented but not routed");
    }
}
