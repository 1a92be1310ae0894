//! `frontend/dist/` is committed so that the server serves the SPA on a machine without the wasm
//! toolchain; it must be built from the sources as they are. `just spa` records a hash of those
//! sources in `frontend/dist/SOURCE_HASH`; this test computes the same hash and fails when the
//! sources changed since.
//!
//! The hash (the recipe `spa-source-hash` in `justfile.spa` computes it too): SHA-256, written as
//! lowercase hex and a newline, over the files below in the order of their repository paths
//! (sorted as UTF-8 bytes, `/` between parts), feeding for each file `path` NUL `content` NUL,
//! with CRLF read as LF so that a checkout with Windows line endings hashes the same.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The SPA's sources: single files, and directories taken whole. Keep equal to the lists in the
/// recipe `spa-source-hash`.
const FILES: &[&str] = &[
    "frontend/Cargo.toml",
    "frontend/Cargo.lock",
    "frontend/index.html",
    "frontend/style.css",
    "crates/api-types/Cargo.toml",
    "crates/domain/Cargo.toml",
];
const TREES: &[&str] = &["frontend/src", "crates/api-types/src", "crates/domain/src"];

/// What a build writes into `frontend/dist/`, besides `SOURCE_HASH`.
const BUILT_FILES: &[&str] = &[
    "index.html",
    "style.css",
    "navigator.js",
    "navigator_bg.wasm",
    "navigator_provider.js",
    "navigator_provider_bg.wasm",
    "navigator_operator.js",
    "navigator_operator_bg.wasm",
    "navigator_oversight.js",
    "navigator_oversight_bg.wasm",
    "robots.txt",
];

/// The bundles (see `frontend/src/bundle.rs`): each a glue script `NAME.js` and its module
/// `NAME_bg.wasm`, chosen by `index.html` from the address.
const BUNDLES: &[&str] = &[
    "navigator",
    "navigator_provider",
    "navigator_operator",
    "navigator_oversight",
];

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the repository")
        .to_path_buf()
}

/// Adds the repository paths of the files under `tree` to `paths`.
fn collect_files(root: &Path, tree: &str, paths: &mut Vec<String>) {
    let entries =
        std::fs::read_dir(root.join(tree)).unwrap_or_else(|e| panic!("cannot list {tree}: {e}"));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("cannot list {tree}: {e}"));
        let name = entry
            .file_name()
            .into_string()
            .unwrap_or_else(|name| panic!("{tree}/{name:?}: file names must be UTF-8"));
        let path = format!("{tree}/{name}");
        let metadata =
            std::fs::metadata(entry.path()).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        if metadata.is_dir() {
            collect_files(root, &path, paths);
        } else if metadata.is_file() {
            paths.push(path);
        }
    }
}

/// `bytes` with every CRLF replaced by LF.
fn without_carriage_returns(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &byte) in bytes.iter().enumerate() {
        if !(byte == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(byte);
        }
    }
    out
}

/// The hash of the SPA's sources in the repository at `root`.
fn source_hash(root: &Path) -> String {
    let mut paths: Vec<String> = FILES.iter().map(|file| file.to_string()).collect();
    for tree in TREES {
        collect_files(root, tree, &mut paths);
    }
    paths.sort();
    paths.dedup();
    let mut hasher = Sha256::new();
    for path in &paths {
        let content =
            std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(without_carriage_returns(&content));
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

#[test]
fn the_committed_spa_is_built_from_the_current_sources() {
    let root = repository_root();
    let recorded_path = root.join("frontend/dist/SOURCE_HASH");
    let recorded = std::fs::read_to_string(&recorded_path).unwrap_or_else(|e| {
        panic!("cannot read frontend/dist/SOURCE_HASH ({e}): build the SPA with `just spa`")
    });
    let current = source_hash(&root);
    assert!(
        recorded.trim() == current,
        "frontend/dist/ is stale: the SPA's sources (frontend/, crates/api-types, crates/domain) \
         changed since it was built. Rebuild it with `just spa` and commit frontend/dist/.\n  \
         recorded: {}\n  current:  {current}",
        recorded.trim(),
    );
}

#[test]
fn the_committed_spa_has_its_files() {
    let dist = repository_root().join("frontend/dist");
    for file in BUILT_FILES {
        let bytes = std::fs::read(dist.join(file)).unwrap_or_else(|e| {
            panic!("frontend/dist/{file} is missing ({e}): build the SPA with `just spa`")
        });
        assert!(
            !bytes.is_empty(),
            "frontend/dist/{file} is empty: rebuild with `just spa`"
        );
    }
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    for bundle in BUNDLES {
        let wasm = std::fs::read(dist.join(format!("{bundle}_bg.wasm"))).unwrap_or_default();
        assert!(
            wasm.starts_with(b"\0asm"),
            "frontend/dist/{bundle}_bg.wasm is not WebAssembly"
        );
        for asset in [format!("/{bundle}.js"), format!("/{bundle}_bg.wasm")] {
            assert!(
                index.contains(&asset),
                "frontend/dist/index.html does not load {asset}"
            );
        }
    }
    assert!(
        index.contains("/style.css"),
        "frontend/dist/index.html does not load /style.css"
    );
}

/// A tree with every source in place, for checking the hash itself.
fn sample_sources(line_end: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a file has a directory"))
            .expect("create the directory");
        std::fs::write(full, text.replace('\n', line_end)).expect("write the file");
    };
    for file in FILES {
        write(file, &format!("{file}\nsecond line\n"));
    }
    write("frontend/src/main.rs", "fn main() {}\n");
    write("frontend/src/pages/mod.rs", "// pages\n");
    write("crates/api-types/src/lib.rs", "//! types\n");
    write("crates/domain/src/lib.rs", "//! домен\n");
    dir
}

#[test]
fn the_hash_is_the_one_the_recipe_computes() {
    // The value the Python of `spa-source-hash` gives for the same files: the two
    // implementations must agree to the byte.
    let sources = sample_sources("\n");
    assert_eq!(
        source_hash(sources.path()),
        "59195c3465bdef949c3049174e0db2b64a1c8f342e41f45434c0ccee4609f460"
    );
}

#[test]
fn the_hash_ignores_windows_line_endings_but_not_content() {
    let unix = sample_sources("\n");
    let windows = sample_sources("\r\n");
    assert_eq!(source_hash(unix.path()), source_hash(windows.path()));

    std::fs::write(unix.path().join("frontend/style.css"), "body {}\n").expect("write");
    assert_ne!(source_hash(unix.path()), source_hash(windows.path()));
}
