//! The published API description matches the server: every documented path and method is
//! served (it does not fall through to the portal's "no such resource"), and nothing else is.

use std::path::PathBuf;

use crate::{Portal, agent, json, token};

/// (path, methods) as `docs/openapi.yaml` lists them.
fn documented() -> Vec<(String, Vec<String>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("docs/openapi.yaml");
    assert!(text.contains("openapi: 3.1.0"));
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_paths = false;
    for line in text.lines() {
        if line == "paths:" {
            in_paths = true;
            continue;
        }
        if in_paths && !line.starts_with(' ') && !line.is_empty() {
            break;
        }
        if in_paths && line.starts_with("  /") && line.ends_with(':') {
            out.push((line.trim().trim_end_matches(':').to_owned(), Vec::new()));
        } else if in_paths
            && let Some(m) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':'))
            && ["get", "post", "patch", "head", "options", "delete"].contains(&m)
            && let Some(last) = out.last_mut()
        {
            last.1.push(m.to_uppercase());
        }
    }
    out
}

#[test]
fn every_documented_route_is_served_and_unknown_ones_are_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let routes = documented();
    assert_eq!(routes.len(), 8, "{routes:?}");
    for (path, methods) in &routes {
        assert!(!methods.is_empty(), "{path} lists no method");
        let concrete = path
            .replace("{id}", "0123456789abcdef0123456789abcdef")
            .replace("{clientId}", "0193f2c4-5b6a-7c3d-8e9f-2a4b6c8d0e1f");
        for method in methods {
            let mut r = agent()
                .run(
                    ureq::http::Request::builder()
                        .method(method.as_str())
                        .uri(p.api(&concrete))
                        .header("Authorization", format!("Bearer {t}"))
                        .header("Tus-Resumable", "1.0.0")
                        .body(())
                        .expect("request"),
                )
                .expect("answer");
            let fell_through =
                r.status() == 404 && method != "HEAD" && json(&mut r)["code"] == "not_found";
            assert!(!fell_through, "{method} {path} is documented but not served");
            assert!(r.status() != 405, "{method} {path} is documented but not allowed");
        }
    }
    let mut r = agent()
        .get(p.api("/not-a-route"))
        .header("Authorization", format!("Bearer {t}"))
        .call()
        .expect("get");
    assert_eq!(r.status(), 404);
    assert_eq!(json(&mut r)["code"], "not_found");
    let guide = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/portal-api.md"),
    )
    .expect("guide");
    for (path, _) in &routes {
        let base = path.split('{').next().unwrap_or(path).trim_end_matches('/');
        assert!(guide.contains(base), "the guide never mentions {path}");
    }
}
