//! A writer killed with SIGKILL at random moments never loses a save it acknowledged and
//! never leaves a damaged database.
//!
//! The test runs this same test binary again as the writer (`child_writer` with an environment
//! variable set), reads its acknowledgements line by line, and kills it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use hoso_store::Store;

use crate::{count_values, new_dossier};

const CHILD_ENV: &str = "HOSO_STORE_CRASH_CHILD_DIR";
const ROUNDS: usize = 25;
/// A writer stops by itself after this many saves, so a missed kill cannot hang the test.
const MAX_WRITES: u64 = 200_000;
const KEYS: u64 = 40;

/// The writer: creates one dossier per run, then saves values as fast as it can, printing
/// `ack <dossier> <n>` after each save returns. Without the environment variable it does a short
/// bounded run in a temporary directory and checks the result itself.
#[test]
fn child_writer() {
    let (dir, writes, _guard) = match std::env::var(CHILD_ENV) {
        Ok(d) => (std::path::PathBuf::from(d), MAX_WRITES, None),
        Err(_) => {
            let t = tempfile::tempdir().expect("tmp");
            (t.path().to_owned(), 300, Some(t))
        }
    };
    let store = Store::open(&dir).expect("open");
    let run = std::process::id().to_string();
    new_dossier(&store, &run, &[], 0);
    let mut out = std::io::stdout().lock();
    writeln!(out, "ack {run} created").expect("stdout");
    for n in 0..writes {
        let key = format!("k.{}", n % KEYS);
        store
            .update_values(
                &run,
                &[(&key, &n.to_string())],
                i64::try_from(n).unwrap_or(0),
                count_values,
            )
            .expect("save");
        writeln!(out, "ack {run} {n}").expect("stdout");
        out.flush().expect("flush");
    }
    if std::env::var(CHILD_ENV).is_err() {
        let values = store.dossier(&run).expect("dossier").values;
        assert_eq!(values.len() as u64, KEYS);
        assert_eq!(values[&format!("k.{}", (writes - 1) % KEYS)], (writes - 1).to_string());
    }
}

#[test]
fn sigkill_during_saves_loses_no_acknowledged_save_and_keeps_the_database_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let exe = std::env::current_exe().expect("exe");
    // The last acknowledged write number per writer run.
    let mut acked: BTreeMap<String, Option<u64>> = BTreeMap::new();
    let mut rng_state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash::child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until the writer is writing, then let it run a random while and kill it.
        // (The test harness prints its own lines first.)
        let first = loop {
            let line = rx.recv_timeout(Duration::from_secs(60)).expect("writer started");
            if line.starts_with("ack ") {
                break line;
            }
        };
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        std::thread::sleep(Duration::from_millis(5 + rng_state % 120));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        reader.join().expect("reader");
        for line in std::iter::once(first).chain(rx.try_iter()) {
            let mut parts = line.split_whitespace().skip(1);
            let (Some(run), Some(what)) = (parts.next(), parts.next()) else { continue };
            let entry = acked.entry(run.to_owned()).or_insert(None);
            if let Ok(n) = what.parse::<u64>() {
                *entry = Some(n);
            }
        }
        // The database opens, is whole, and holds every acknowledged save.
        let store =
            Store::open(dir.path()).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        assert_eq!(store.integrity_check().expect("check"), "ok", "round {round}");
        for (run, last) in &acked {
            let d = store
                .dossier(run)
                .unwrap_or_else(|e| panic!("round {round}: acknowledged dossier {run} lost: {e}"));
            let Some(last) = last else { continue };
            // Every key's stored write number is at least the last acknowledged one for that key.
            for k in 0..KEYS.min(last + 1) {
                let newest_acked_for_key = last - ((last + KEYS - k) % KEYS);
                let stored: u64 = d.values[&format!("k.{k}")].parse().expect("number");
                assert!(
                    stored >= newest_acked_for_key,
                    "round {round}: run {run} key {k} holds write {stored}, but write {newest_acked_for_key} was acknowledged"
                );
            }
        }
    }
    let writes: u64 = acked.values().flatten().map(|n| n + 1).sum();
    assert!(writes > 0, "no write was acknowledged in {ROUNDS} rounds");
}
