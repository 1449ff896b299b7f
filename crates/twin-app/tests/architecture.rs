//! The invariants of docs/ARCHITECTURE.md that a test can check: which crate may depend on
//! which, the engine free of I/O, and clinical constants only in the engine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Workspace package name → names of its normal (non-dev, non-build) dependencies.
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap_or_default().to_string())
                .collect();
            (p["name"].as_str().unwrap_or_default().to_string(), deps)
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_engine_depends_on_no_io_crate_and_does_no_io() {
    let deps = dependencies();
    let engine = &deps["twin-engine"];
    let io = ["tokio", "reqwest", "sled", "rusqlite", "keyring", "fhir-sdk", "serde_json", "axum", "tauri", "wgpu"];
    for crate_name in io {
        assert!(!engine.iter().any(|d| d == crate_name), "twin-engine depends on {crate_name}");
    }
    for file in rust_files(&root().join("crates/twin-engine/src")) {
        let text = std::fs::read_to_string(&file).expect("read");
        for forbidden in ["std::fs", "std::net", "now_utc", "SystemTime", "std::env"] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}", file.display());
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let deps = dependencies();
    let ours = |p: &str| deps[p].iter().filter(|d| d.starts_with("twin-")).cloned().collect::<Vec<_>>();
    assert!(ours("twin-engine").is_empty(), "the engine depends on no other crate of ours");
    // twin-notes: text in, facts out; twin-fhir reads notes into it.
    assert!(ours("twin-notes").is_empty(), "the note reader depends on no other crate of ours");
    // twin-hl7: HL7 v2 text in, Observation JSON out; twin-app files it through the one merge.
    assert!(ours("twin-hl7").is_empty(), "the HL7 v2 reader depends on no other crate of ours");
    for lower in ["twin-fhir", "twin-store", "twin-synth"] {
        assert!(!ours(lower).contains(&"twin-app".to_string()), "{lower} must not depend on twin-app");
    }
    assert_eq!(
        ours("cardiotwin-desktop"),
        ["twin-app", "twin-panel"],
        "the desktop shell sees only twin-app and the panel reader (the worklist)"
    );
    let mut cli = ours("twin-cli");
    cli.sort();
    // twin-panel: population runs over twin-app's use cases (Arrow and Parquet stay out of twin-app).
    assert_eq!(
        cli,
        ["twin-app", "twin-devtools", "twin-panel"],
        "the CLI sees only twin-app, the panel runner and the developer tooling"
    );
    assert_eq!(ours("twin-panel"), ["twin-app", "twin-engine", "twin-fhir"], "the panel runner sits on twin-app");
    let mut py = ours("twin-py");
    py.sort();
    assert_eq!(py, ["twin-app", "twin-panel"], "the Python package binds twin-app and the panel runner only");
    assert_eq!(ours("twin-gpu"), vec!["twin-engine".to_string()], "the GPU executor sees only the engine");
    assert_eq!(ours("twin-ml"), vec!["twin-engine".to_string()], "the learned model sees only the engine");
    // Developer tooling (benchmarks, training, the demo cohort's writer) is no part of the product:
    // the CLI alone reaches it; twin-app, the desktop shell and the crates below them never do.
    for (package, its) in &deps {
        if package != "twin-cli" {
            assert!(!its.iter().any(|d| d == "twin-devtools"), "{package} depends on twin-devtools: only the CLI may");
        }
    }
}

#[test]
fn the_cli_and_the_shell_name_no_engine_store_or_fhir_module() {
    let lower = ["twin_engine", "twin_store", "twin_fhir"];
    // The CLI reaches them through twin-app and twin-devtools; the shell through twin-app only.
    let shell = [&lower[..], &["twin_devtools"]].concat();
    for (dir, forbidden) in [("crates/twin-cli/src", &lower[..]), ("src-tauri/src", &shell[..])] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for forbidden in forbidden {
                assert!(!text.contains(forbidden), "{} names {forbidden}: go through twin-app", file.display());
            }
        }
    }
}

#[test]
fn clinical_constants_live_in_the_engine_only() {
    for dir in ["crates/twin-app/src", "crates/twin-cli/src", "src-tauri/src"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for (n, line) in text.lines().enumerate() {
                let l = line.trim_start();
                let numeric_const = (l.starts_with("const ") || l.starts_with("pub const "))
                    && (l.contains(": f64") || l.contains(": f32"));
                assert!(!numeric_const, "{}:{}: a numeric constant outside the engine: {l}", file.display(), n + 1);
            }
        }
    }
}

/// A word or punctuation mark of Rust source, comments and literals dropped: enough to follow paths.
struct Tok {
    text: String,
    line: usize,
}

fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&c, i) {
            // r"..", r#".."#, br#".."#: no escapes, ends at a quote followed by as many hashes.
            i = c[i..].iter().position(|&q| q == '"').map_or(c.len(), |p| i + p + 1);
            while i < c.len() && !(c[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#')) {
                line += usize::from(c[i] == '\n');
                i += 1;
            }
            i += 1 + hashes;
        } else if ch == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                line += usize::from(at(i) == '\n');
                i += 1;
            }
            i += 1;
        } else if ch == '\'' {
            if at(i + 1) == '\\' {
                // '\n', '\'', '\u{..}'
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // a lifetime or a loop label
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push(Tok { text: c[start..i].iter().collect(), line });
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(Tok { text: "::".into(), line });
            i += 2;
        } else {
            if !ch.is_whitespace() {
                out.push(Tok { text: ch.to_string(), line });
            }
            line += usize::from(ch == '\n');
            i += 1;
        }
    }
    out
}

/// The number of `#`s if a raw (byte, C) string literal starts at `i`.
fn raw_string_start(c: &[char], i: usize) -> Option<usize> {
    let prefix_ok = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
    let mut j = match (c.get(i), c.get(i + 1)) {
        (Some('r'), _) => i + 1,
        (Some('b' | 'c'), Some('r')) => i + 2,
        _ => return None,
    };
    let hashes = c[j..].iter().take_while(|&&h| h == '#').count();
    j += hashes;
    (prefix_ok && c.get(j) == Some(&'"')).then_some(hashes)
}

/// The index of the bracket closing the one at `open`.
fn closing(t: &[Tok], open: usize) -> usize {
    let mut depth = 0;
    for (k, tok) in t.iter().enumerate().skip(open) {
        match tok.text.as_str() {
            "{" | "[" | "(" => depth += 1,
            "}" | "]" | ")" => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    t.len()
}

/// `cfg(test)` or `cfg(all(.., test, ..))`: the item exists only in the crate's unit tests.
fn test_only(attr: &[Tok]) -> bool {
    let words: Vec<&str> = attr.iter().map(|t| t.text.as_str()).collect();
    words == ["cfg", "(", "test", ")"]
        || (words.starts_with(&["cfg", "(", "all", "("])
            && words.contains(&"test")
            && !words.iter().any(|w| matches!(*w, "not" | "any")))
}

/// Past the item starting at `i` (its attributes, then up to its `;` or its closing brace).
fn skip_item(t: &[Tok], mut i: usize) -> usize {
    let mut depth = 0;
    while i < t.len() {
        match t[i].text.as_str() {
            "#" if depth == 0 && t.get(i + 1).is_some_and(|n| n.text == "[") => i = closing(t, i + 1),
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            ";" if depth == 0 => return i + 1,
            "{" if depth == 0 => return closing(t, i) + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// The leaves of the `use` tree starting at `i`: (path, name it binds; `None` for a glob).
fn use_leaves(t: &[Tok], i: &mut usize, prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let mut path = prefix;
    while *i < t.len() {
        let word = t[*i].text.clone();
        *i += 1;
        match word.as_str() {
            "::" => {}
            "*" => return out.push((path, None)),
            "{" => {
                while *i < t.len() && t[*i].text != "}" {
                    use_leaves(t, i, path.clone(), out);
                    if t.get(*i).is_some_and(|n| n.text == ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            _ if t.get(*i).is_some_and(|n| n.text == "::") => path.push(word),
            _ => {
                let name = if t.get(*i).is_some_and(|n| n.text == "as") {
                    *i += 2;
                    t[*i - 1].text.clone()
                } else if word == "self" {
                    path.last().cloned().unwrap_or_default()
                } else {
                    word.clone()
                };
                path.push(word);
                return out.push((path, Some(name)));
            }
        }
    }
}

/// What one file of a crate names.
#[derive(Default)]
struct FileScan {
    /// (module path where it is written, the crate-level name it reaches — `None` for a glob of
    /// the crate root —, line)
    refs: Vec<(Vec<String>, Option<String>, usize)>,
    /// `mod x;` declarations: (inline modules around it, x)
    children: Vec<(Vec<String>, String)>,
    /// `mod x { .. }` written in the crate root.
    inline_top: Vec<String>,
    /// The crate root's own `use` items: (path, name bound).
    root_uses: Vec<(Vec<String>, Option<String>)>,
}

/// Walks one file whose module path is `base` (empty for the crate root), skipping test-only items.
fn scan(t: &[Tok], base: &[String]) -> FileScan {
    let mut s = FileScan::default();
    let mut stack: Vec<Option<String>> = Vec::new();
    let here =
        |stack: &[Option<String>]| base.iter().cloned().chain(stack.iter().flatten().cloned()).collect::<Vec<String>>();
    let word = |k: usize| t.get(k).map_or("", |tok| tok.text.as_str());
    let ident = |k: usize| word(k).starts_with(|ch: char| ch.is_alphabetic() || ch == '_');
    let mut i = 0;
    while i < t.len() {
        match word(i) {
            "#" => {
                let inner = word(i + 1) == "!";
                let open = i + 1 + usize::from(inner);
                if word(open) != "[" {
                    i += 1;
                    continue;
                }
                let close = closing(t, open);
                assert!(word(open + 1) != "path", "line {}: #[path] is not followed by this test", t[i].line);
                i = close + 1;
                if test_only(&t[open + 1..close]) {
                    if inner {
                        // the whole enclosing module is test-only: go to its closing brace
                        let mut depth = 0;
                        while i < t.len() && !(word(i) == "}" && depth == 0) {
                            depth += i32::from(word(i) == "{") - i32::from(word(i) == "}");
                            i += 1;
                        }
                    } else {
                        i = skip_item(t, i);
                    }
                }
                continue;
            }
            "{" => stack.push(None),
            "}" => {
                stack.pop();
            }
            "mod" if ident(i + 1) && word(i + 2) == ";" => {
                s.children.push((stack.iter().flatten().cloned().collect(), word(i + 1).to_string()));
                i += 3;
                continue;
            }
            "mod" if ident(i + 1) && word(i + 2) == "{" => {
                if base.is_empty() && stack.is_empty() {
                    s.inline_top.push(word(i + 1).to_string());
                }
                stack.push(Some(word(i + 1).to_string()));
                i += 3;
                continue;
            }
            "use" if base.is_empty() && stack.is_empty() => {
                let mut j = i + 1;
                use_leaves(t, &mut j, Vec::new(), &mut s.root_uses);
            }
            w @ ("crate" | "self" | "super") if word(i + 1) == "::" && (i == 0 || word(i - 1) != "::") => {
                let here = here(&stack);
                let (mut j, mut ups) = (i + 2, usize::from(w == "super"));
                while w != "crate" && word(j) == "super" && word(j + 1) == "::" {
                    ups += 1;
                    j += 2;
                }
                assert!(ups <= here.len(), "line {}: super:: beyond the crate root", t[i].line);
                let prefix = if w == "crate" { &[][..] } else { &here[..here.len() - ups] };
                let targets: Vec<Option<String>> = if let Some(first) = prefix.first() {
                    vec![Some(first.clone())]
                } else if word(j) == "{" {
                    // `crate::{a, b::c, d::{e, f}}`: the first word of every entry
                    let (end, mut depth, mut heads) = (closing(t, j), 0, Vec::new());
                    for k in j..end {
                        depth += i32::from(word(k) == "{") - i32::from(word(k) == "}");
                        if depth == 1 && matches!(word(k), "{" | ",") {
                            match word(k + 1) {
                                "*" => heads.push(None),
                                "self" | "}" | "," => {}
                                head => heads.push(Some(head.to_string())),
                            }
                        }
                    }
                    heads
                } else if word(j) == "*" {
                    vec![None]
                } else if ident(j) {
                    vec![Some(word(j).to_string())]
                } else {
                    Vec::new()
                };
                if !here.is_empty() {
                    s.refs.extend(targets.into_iter().map(|target| (here.clone(), target, t[i].line)));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// A crate's top-level modules and, for each arrow between two of them, where it is written.
struct ModuleGraph {
    modules: BTreeSet<String>,
    arrows: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads the crate rooted at `root_file` (lib.rs or main.rs) through `read`, following `mod x;` to
/// `x.rs` or `x/mod.rs`. A name reached through the root's `use` items counts as its module's.
fn module_graph(root_file: &Path, read: &dyn Fn(&Path) -> Option<String>) -> ModuleGraph {
    let display = |p: &Path| p.strip_prefix(root()).unwrap_or(p).display().to_string();
    let load = |p: &Path| read(p).unwrap_or_else(|| panic!("read {}", display(p)));
    let root_scan = scan(&tokens(&load(root_file)), &[]);
    let mut modules: BTreeSet<String> = root_scan.inline_top.iter().cloned().collect();
    modules.extend(root_scan.children.iter().filter(|(dirs, _)| dirs.is_empty()).map(|(_, m)| m.clone()));
    let mut reexports = BTreeMap::new();
    let mut glob_reexports = false;
    for (path, name) in &root_scan.root_uses {
        let path: Vec<&String> = path.iter().filter(|seg| *seg != "crate" && *seg != "self").collect();
        if let Some(&module) = path.first().filter(|m| modules.contains(**m)) {
            match name {
                Some(name) => drop(reexports.insert(name.clone(), module.clone())),
                None => glob_reexports = true,
            }
        }
    }
    let mut found = vec![(root_file.to_path_buf(), Vec::new(), root_scan)];
    let mut arrows: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    while let Some((file, module_path, s)) = found.pop() {
        // The root and `mod.rs` keep their children beside them; `x.rs` keeps them in `x/`.
        let owns_dir = module_path.is_empty() || file.ends_with("mod.rs");
        let dir = if owns_dir { file.parent().expect("a folder").to_path_buf() } else { file.with_extension("") };
        for (dirs, name) in &s.children {
            let mut sub = dir.clone();
            sub.extend(dirs);
            let child = [sub.join(format!("{name}.rs")), sub.join(name).join("mod.rs")]
                .into_iter()
                .find(|p| read(p).is_some())
                .unwrap_or_else(|| panic!("{}: no file for `mod {name};`", display(&file)));
            let child_path: Vec<String> = module_path.iter().chain(dirs).chain([name]).cloned().collect();
            let child_scan = scan(&tokens(&load(&child)), &child_path);
            found.push((child, child_path, child_scan));
        }
        for (here, target, line) in &s.refs {
            let target = target.as_ref().unwrap_or_else(|| {
                panic!("{}:{line}: a glob of the crate root hides which modules it names", display(&file))
            });
            let to = if modules.contains(target) {
                target
            } else if let Some(module) = reexports.get(target) {
                module
            } else {
                assert!(!glob_reexports, "{}:{line}: cannot tell which module crate::{target} is", display(&file));
                continue; // an item of the root itself
            };
            if *to != here[0] {
                let at = arrows.entry(here[0].clone()).or_default();
                at.entry(to.clone()).or_insert_with(|| format!("{}:{line}", display(&file)));
            }
        }
    }
    ModuleGraph { modules, arrows }
}

/// Each group of modules that reach one another, as its shortest circle through its first module.
fn circles(graph: &ModuleGraph) -> Vec<(Vec<String>, BTreeSet<String>)> {
    let next = |m: &String| graph.arrows.get(m).into_iter().flat_map(|a| a.keys());
    let reach = |from: &String| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from.clone()]);
        while let Some(m) = todo.pop() {
            todo.extend(next(&m).filter(|n| seen.insert((*n).clone())).cloned());
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = graph.modules.iter().map(|m| (m, reach(m))).collect();
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for m in &graph.modules {
        if done.contains(m) || !reaches[m].contains(m) {
            continue;
        }
        let group: BTreeSet<String> = reaches[m].iter().filter(|n| reaches[n].contains(m)).cloned().collect();
        done.extend(group.iter().cloned());
        // breadth first from m back to m
        let mut parent: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([m.clone()]);
        'search: while let Some(at) = queue.pop_front() {
            for n in next(&at) {
                if n == m {
                    let mut circle = vec![m.clone(), at.clone()];
                    while let Some(p) = parent.get(circle.last().unwrap()) {
                        circle.push(p.clone());
                    }
                    circle.reverse();
                    out.push((circle, group));
                    break 'search;
                }
                if !parent.contains_key(n) && n != m {
                    parent.insert(n.clone(), at.clone());
                    queue.push_back(n.clone());
                }
            }
        }
    }
    out
}

/// Within a crate, no top-level module (with its children) may name one that names it back, however
/// indirectly: a circle makes its modules one tangle, read, tested and changed only together. The
/// crate root is no module here, and `#[cfg(test)]` items are skipped.
#[test]
fn no_module_imports_circle_back() {
    let mut roots = Vec::new();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root().join("crates")).expect("crates").map(|e| e.expect("entry").path()).collect();
    dirs.sort();
    dirs.push(root().join("src-tauri"));
    for dir in dirs {
        let src = dir.join("src");
        let mut bins: Vec<PathBuf> = std::fs::read_dir(src.join("bin"))
            .map_or(Vec::new(), |d| d.map(|e| e.expect("entry").path()).collect::<Vec<_>>())
            .into_iter()
            .map(|p| if p.is_dir() { p.join("main.rs") } else { p })
            .collect();
        bins.sort();
        let crate_name = dir.file_name().expect("a name").to_string_lossy().to_string();
        for (n, file) in
            [src.join("lib.rs"), src.join("main.rs")].into_iter().chain(bins).filter(|p| p.is_file()).enumerate()
        {
            // the library (or the only binary) by the crate's name, other binaries by their file too
            let label = if n == 0 {
                crate_name.clone()
            } else {
                format!("{crate_name} ({})", file.strip_prefix(&src).unwrap_or(&file).display())
            };
            roots.push((label, file));
        }
    }
    let mut found = Vec::new();
    let mut biggest = 0;
    for (name, root_file) in &roots {
        let graph = module_graph(root_file, &|p| std::fs::read_to_string(p).ok());
        biggest = biggest.max(graph.arrows.values().map(BTreeMap::len).sum::<usize>());
        for (circle, group) in circles(&graph) {
            found.push(format!("{name}: {}", circle.join(" -> ")));
            for pair in circle.windows(2) {
                found.push(format!("    {} -> {}: {}", pair[0], pair[1], graph.arrows[&pair[0]][&pair[1]]));
            }
            if group.len() > circle.len() - 1 {
                let group: Vec<&str> = group.iter().map(String::as_str).collect();
                found.push(format!("    (one tangle of {} modules: {})", group.len(), group.join(", ")));
            }
        }
    }
    assert!(roots.len() >= 8 && biggest >= 10, "the scan found {} crates and at most {biggest} arrows", roots.len());
    assert!(found.is_empty(), "modules that import each other:\n{}", found.join("\n"));
}

/// The scan behind `no_module_imports_circle_back`, on a made-up crate using every form it follows.
#[test]
fn the_module_scan_follows_paths_and_skips_tests_comments_and_strings() {
    let files: BTreeMap<PathBuf, &str> = [
        (
            "lib.rs",
            "pub mod a;\npub mod b;\nmod c;\nmod e;\n#[cfg(test)]\nmod tests;\npub use c::{Thing as Renamed};\n\
             pub mod d { pub fn f() { crate::a::x(); } }\n// crate::b::nope\nfn root_only() { b::g(); }",
        ),
        (
            "a.rs",
            "use crate::{b::{self, y}, Renamed};\nmod inner;\nconst S: &str = \"crate::d::z\";\n\
             #[cfg(test)]\nmod tests { use crate::d; }\nfn x<'a>(_: &'a str) -> char { '\"' }\n/* super::d /* nested */ super::d */",
        ),
        ("a/inner.rs", "use super::super::d::f;\nuse super::x;\nfn g() { self::super::super::e::g() }"),
        ("e.rs", "pub fn g() {}"),
        ("b.rs", "pub fn g() { let _ = 'x'; let _ = r#\"crate::a\"#; super::c::h(); }"),
        ("c/mod.rs", "mod deep;\npub struct Thing;\npub(crate) fn h() {}"),
        ("c/deep.rs", "pub(crate) fn k() { crate::b::g() }"),
        ("tests.rs", "use crate::a;"),
    ]
    .into_iter()
    .map(|(p, text)| (Path::new("src").join(p), text))
    .collect();
    let graph = module_graph(Path::new("src/lib.rs"), &|p| files.get(p).map(|s| s.to_string()));
    let arrows: Vec<String> =
        graph.arrows.iter().flat_map(|(from, to)| to.keys().map(move |to| format!("{from}->{to}"))).collect();
    assert_eq!(arrows, ["a->b", "a->c", "a->d", "a->e", "b->c", "c->b", "d->a"]);
    assert_eq!(graph.arrows["a"]["c"], "src/a.rs:1", "through the root's `use`");
    assert_eq!(graph.arrows["a"]["d"], "src/a/inner.rs:1", "not from a test module, a string or a comment");
    let found: Vec<String> = circles(&graph).into_iter().map(|(c, _)| c.join(" -> ")).collect();
    assert_eq!(found, ["a -> d -> a", "b -> c -> b"]);
}

/// Calls that write to the file system.
const FILE_WRITES: [&str; 7] =
    ["fs::write", "File::create", "OpenOptions", "fs::rename", "create_dir", "fs::copy", "set_permissions"];

/// Everything written to disk goes through twin-store (sealed, under its lock, crash-safe), so
/// no other crate writes files. The exceptions write what a developer asks for, where they say,
/// and hold no patient data: developer tooling (benchmarks, the demo cohort, training), the
/// test-support crate's scratch folders, and the learned model's `save`, which only training calls.
#[test]
fn only_the_store_writes_files() {
    // twin-panel writes population results where the researcher says (Parquet for pyarrow, beside
    // the FHIR Bulk export they come from, which is itself in clear; the docs say both hold PHI).
    let allowed_crates = ["twin-store", "twin-devtools", "twin-test-support", "twin-panel"];
    let allowed_files = [
        ("crates/twin-ml/src/lib.rs", "LearnedModel::save, called by training only"),
        (
            "crates/twin-wearables/src/bin/apple_health_bench.rs",
            "the benchmark's synthetic export, where the developer says",
        ),
    ];
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("src").is_dir())
        .collect();
    dirs.push(root().join("src-tauri"));
    let mut found = Vec::new();
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if allowed_crates.contains(&name.as_str()) {
            continue;
        }
        for file in rust_files(&dir.join("src")) {
            let relative = file.strip_prefix(root()).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let relative = relative.trim_start_matches("./").trim_start_matches("../../").to_string();
            if allowed_files.iter().any(|(f, _)| relative.ends_with(f)) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("read");
            // A file's unit tests may set up fixtures on disk.
            let product = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in product.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                if let Some(call) = FILE_WRITES.iter().find(|w| line.contains(*w)) {
                    found.push(format!("{relative}:{}: {call}", n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "file writes outside twin-store (go through the store):\n{}", found.join("\n"));
    for (file, why) in allowed_files {
        let text = std::fs::read_to_string(root().join(file)).expect("an allowed file exists");
        assert!(FILE_WRITES.iter().any(|w| text.contains(w)), "{file} ({why}) no longer writes: drop it from the list");
    }
}
