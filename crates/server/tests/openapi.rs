//! The committed OpenAPI descriptions (`docs/openapi.json` for `diptych serve`,
//! `docs/openapi-review.json` for `diptych review`) are the ones the code generates: this test
//! fails when a handler or a served type changed and they were not regenerated
//! (`BLESS=1 cargo test --workspace --test openapi` rewrites them).

use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// Compares `doc` (pretty JSON, one final newline) with the file `name` under `docs/`, or
/// rewrites the file when `BLESS` is set.
fn check(name: &str, doc: &utoipa::openapi::OpenApi) {
    let mut generated = serde_json::to_string_pretty(doc).unwrap();
    generated.push('\n');
    let path = docs().join(name);
    if std::env::var_os("BLESS").is_some() {
        diptych_core::fsio::write_atomic(&path, |out| out.write_all(generated.as_bytes())).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/{name} is stale: regenerate it with BLESS=1 cargo test --workspace --test openapi"
    );
}

#[test]
fn committed_serve_description_is_current() {
    check("openapi.json", &diptych_server::openapi::archive());
}

#[test]
fn committed_review_description_is_current() {
    check("openapi-review.json", &diptych_server::openapi::review());
}

#[test]
fn every_error_answer_has_a_schema() {
    for doc in [
        diptych_server::openapi::archive(),
        diptych_server::openapi::review(),
    ] {
        let json = serde_json::to_value(&doc).unwrap();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let schema = &response["content"]["application/json"]["schema"];
                    if status != "200" {
                        assert!(
                            schema.is_object(),
                            "{method} {path} {status}: no JSON schema"
                        );
                    }
                }
            }
        }
    }
}

/// Every `$ref` in `value`, recursively.
fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    for doc in [
        diptych_server::openapi::archive(),
        diptych_server::openapi::review(),
    ] {
        let json = serde_json::to_value(&doc).unwrap();
        let mut found = vec![];
        refs(&json, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(
                json["components"]["schemas"][name].is_object(),
                "{}: {r} does not resolve",
                doc.info.title
            );
        }
    }
}
