//! docs/testing.md lists every `data-testid` the app renders, so tests
//! outside the project can rely on them.

use std::path::Path;

/// The fixed part of each test id in the UI's source: a literal, or the
/// text before the first `{` of a `format!`; and in the canvas's markup
/// writer, the text before the first `{` of an escaped attribute.
fn test_ids_in_source() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("src/ui"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files.push(root.join("src/domain/canvas.rs"));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("data-testid=") {
            let rest = &text[at + "data-testid=".len()..];
            let literal = if let Some(rest) = rest.strip_prefix("\\\"") {
                rest.split(['\\', '{']).next()
            } else if let Some(rest) = rest.strip_prefix('"') {
                rest.split('"').next()
            } else if let Some(rest) = rest.strip_prefix("format!(\"") {
                rest.split('"')
                    .next()
                    .map(|f| f.split('{').next().unwrap_or(""))
            } else {
                None
            };
            if let Some(literal) = literal.filter(|l| !l.is_empty()) {
                found.push((literal.to_string(), path.display().to_string()));
            }
        }
    }
    found
}

#[test]
fn every_test_id_the_app_renders_is_documented() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/testing.md"))
            .unwrap();
    let ids = test_ids_in_source();
    assert!(ids.len() > 50, "found only {} test ids", ids.len());
    let missing: Vec<_> = ids
        .iter()
        .filter(|(id, _)| !doc.contains(&format!("`{id}")))
        .collect();
    assert!(missing.is_empty(), "not in docs/testing.md: {missing:#?}");
}
