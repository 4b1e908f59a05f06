//! The OpenAPI document against the code, both ways: every documented operation is routed, and
//! every path constant of the domain crate and every route of the server is documented.

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

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let (app, document) = document().await;
    for (path, item) in document["paths"].as_object().unwrap() {
        let url = app.url(&concrete(path));
        // The path exists: a method it does not have is 405, not the API's 404 for unknown paths.
        let patch = app.client.patch(&url).send().await.unwrap();
        assert_eq!(patch.status(), 405, "PATCH {path}");
        for (method, operation) in item.as_object().unwrap() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let status = app.client.request(method.clone(), &url).send().await.unwrap().status().as_u16();
            assert_ne!(status, 405, "{method} {path}");
            if operation.get("security").is_some() {
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
        let text = std::fs::read_to_string(&file).unwrap();
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

#[test]
fn every_server_route_uses_a_documented_path_constant() {
    let constants = domain_path_constants();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![source.join("openapi.rs"), source.join("routes.rs")];
    for entry in std::fs::read_dir(source.join("routes")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut routes = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (index, _) in text.match_indices(".route(") {
            let argument = text[index + ".route(".len()..].split(',').next().unwrap().trim();
            if matches!(argument, "\"/api\"" | "\"/api/{*rest}\"") {
                continue; // the JSON 404 for unknown API paths
            }
            let name = argument.rsplit("::").next().unwrap();
            assert!(
                constants.contains_key(name),
                "{}: .route({argument}, …) is not a documented path constant",
                file.display()
            );
            routes += 1;
        }
    }
    assert!(routes > 40, "found only {routes} routes");
}
