//! Atomic output (issue 10): a build killed with SIGKILL at any moment leaves the previous
//! `public/` intact and complete; the next build removes what the killed ones left behind.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many examples the generated site gets (enough for a build of about a second).
const EXAMPLES: usize = 60;
const ITERATIONS: usize = 30;

fn generate_examples(root: &Path, n: usize) {
    let template = std::fs::read_to_string(root.join("content/beispiele/kleindorf-chatbot.md"))
        .expect("fixture example");
    for i in 0..n {
        let text = template
            .replace(
                "Chatbot im Rathaus Kleindorf",
                &format!("Chatbot Nummer {i} im Rathaus"),
            )
            .replace("name: Kleindorf", &format!("name: Kleindorf {i}"))
            .replace(
                "Kurzer Text.",
                &format!("## Ausgangslage\n\nText {i} mit etwas mehr Inhalt für den Suchindex: Verkehr, Verwaltung, Bürgerservice.\n"),
            );
        std::fs::write(
            root.join(format!("content/beispiele/generiert-{i:04}.md")),
            text,
        )
        .unwrap();
    }
}

fn start_build(root: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_koki"))
        .args(["build", "--root", &root.to_string_lossy()])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn koki")
}

/// Paths that are missing, extra or different in `a` compared with `b` (at most ten).
fn differences(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .take(10)
        .cloned()
        .collect()
}

fn leftovers(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    v.sort();
    v
}

/// A tiny deterministic generator (xorshift); the seed is printed so a failure can be replayed
/// with `KOKI_KILL_SEED=<seed>`.
struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(unix)]
#[test]
fn killed_builds_never_damage_the_published_site() {
    let site = site(None);
    let root = site.path();
    generate_examples(root, EXAMPLES);
    let public = root.join("public");

    // First build: the snapshot every later state is compared with. Build twice and take the
    // second duration (the first one warms the page cache).
    let out = koki(&["build", "--root", &root.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let start = Instant::now();
    let out = koki(&["build", "--root", &root.to_string_lossy()]);
    let duration = start.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let snapshot = read_tree(&public);
    assert!(snapshot.len() > EXAMPLES, "{} files", snapshot.len());

    let seed = std::env::var("KOKI_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos() as u64
                | 1
        });
    eprintln!("build takes {duration:?}; kill seed {seed}");
    let mut rng = Rng(seed);

    let mut killed_running = 0;
    // Kills that left a staging or old directory behind (the next build must remove them).
    let mut left_behind = 0;
    for i in 0..ITERATIONS {
        // Spread the kill moments over the whole build, each at a random point of its slot;
        // the slots reach a little past the build's end.
        let fraction = (i as f64 + rng.unit()) / ITERATIONS as f64 * 1.1;
        let delay = duration.mul_f64(fraction);
        let mut child = start_build(root);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().ok(); // SIGKILL on unix
        child.wait().unwrap();
        if !leftovers(root).is_empty() {
            left_behind += 1;
        }
        let now = read_tree(&public);
        assert!(
            now == snapshot,
            "iteration {i} (killed after {delay:?}, seed {seed}): public/ differs from the snapshot: {:?}",
            differences(&now, &snapshot)
        );
    }
    eprintln!(
        "{killed_running} of {ITERATIONS} builds killed while running, {left_behind} left a staging directory behind"
    );
    assert!(
        left_behind > 0,
        "no kill hit the write phase; the clean-up is untested"
    );
    assert!(
        killed_running >= ITERATIONS / 2,
        "only {killed_running} builds were still running when killed"
    );

    // The next successful build cleans up every staging/old directory of the killed builds.
    let out = koki(&["build", "--root", &root.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(leftovers(root), Vec::<String>::new());
    let now = read_tree(&public);
    assert!(
        now == snapshot,
        "after the clean-up build: {:?}",
        differences(&now, &snapshot)
    );
    assert!(
        start.elapsed() < Duration::from_secs(300),
        "kill test too slow"
    );
}

#[cfg(unix)]
#[test]
fn leftovers_of_live_builds_are_kept_and_of_dead_ones_removed() {
    // A staging dir of a process that still runs must not be deleted under its feet.
    let site = site(None);
    let root = site.path();
    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let live = root.join(format!(".public.staging-{}", sleeper.id()));
    // A pid that is not running (pid_max on Linux is at most 2^22).
    let dead = root.join(".public.staging-4194999");
    let dead_old = root.join(".public.old-4194999");
    for d in [&live, &dead, &dead_old] {
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/file.html"), "x").unwrap();
    }
    let out = koki(&["build", "--root", &root.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(live.exists(), "staging dir of a running build was removed");
    assert!(
        !dead.exists() && !dead_old.exists(),
        "{:?}",
        leftovers(root)
    );
    sleeper.kill().ok();
    sleeper.wait().ok();
}
