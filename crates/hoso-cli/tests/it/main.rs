//! The real `hoso` binary, run as a script would run it.

use std::process::{Command, Output};

use serde_json::Value;

fn hoso(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run hoso")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "hoso failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn procedures_new_show_and_list_speak_json_to_scripts() {
    let dir = tempfile::tempdir().expect("tmp");
    let procs = json(&hoso(dir.path(), &["procedures", "khai", "sinh"]));
    assert_eq!(procs[0]["code"], "1.001193");
    assert_eq!(procs[0]["name"], "Đăng ký khai sinh");

    let created = json(&hoso(
        dir.path(),
        &[
            "new",
            "--procedure",
            "1.004873",
            "--field",
            "applicant.full_name=Trần Văn Bình",
            "--field",
            "applicant.phone=0212345678",
        ],
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["values"]["applicant.full_name"], "Trần Văn Bình");
    assert!(
        created["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .any(|i| i["key"] == "applicant.phone" && i["code"] == "phone_prefix")
    );

    let shown = json(&hoso(dir.path(), &["show", &id]));
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["missing"], created["missing"]);

    let listed = json(&hoso(dir.path(), &["list", "--query", "tran van binh"]));
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let none = json(&hoso(dir.path(), &["list", "-q", "khong ai"]));
    assert_eq!(none["total"], 0);

    // --data-dir wins over the environment.
    let other = tempfile::tempdir().expect("tmp2");
    let out = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_DATA_DIR", dir.path())
        .args(["--data-dir", other.path().to_str().expect("utf8"), "list"])
        .output()
        .expect("run");
    assert_eq!(json(&out)["total"], 0);
}

#[test]
fn errors_go_to_stderr_with_a_stable_code_and_status() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases: [(&[&str], &str, i32); 3] = [
        (&["show", "no-such-id"], "not_found", 3),
        (&["new", "--procedure", "0.000"], "unknown_procedure", 4),
        (&["new", "--procedure", "1.001193", "--field", "bogus.key=1"], "unknown_field", 4),
    ];
    for (args, code, status) in cases {
        let out = hoso(dir.path(), args);
        assert_eq!(out.status.code(), Some(status), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr JSON");
        assert_eq!(err["code"], code, "{args:?}");
    }
    std::fs::write(dir.path().join("hoso.sqlite3"), b"garbage ".repeat(1000)).expect("write");
    let out = hoso(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(5));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr JSON");
    assert_eq!(err["code"], "store_corrupt");
    let bad_usage = hoso(dir.path(), &["new", "--procedure", "1.001193", "--field", "no-equals"]);
    assert_eq!(bad_usage.status.code(), Some(2));
}
