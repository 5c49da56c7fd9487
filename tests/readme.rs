//! The README is read on GitHub and crates.io as Markdown, and a newcomer
//! builds a crate by typing what it shows. Its Rust blocks also compile as
//! doctests (`ReadmeDoctests` in `src/lib.rs`); these tests keep the rest
//! true: the first crate it shows is `examples/first-crate` byte for byte
//! (which CI builds and tests on its own, with only the dependencies shown),
//! and no Rust block hides lines behind rustdoc's `# `, which Markdown
//! would show literally.

use std::path::Path;

const README: &str = include_str!("../README.md");

/// The body of the fenced block that follows the line `<!-- marker -->`.
fn block_after(marker: &str) -> Result<String, String> {
    let comment = format!("<!-- {marker} -->\n");
    let at = README
        .find(&comment)
        .ok_or_else(|| format!("README.md has no line {comment:?}"))?;
    let rest = &README[at + comment.len()..];
    let fence_end = rest
        .find('\n')
        .filter(|_| rest.starts_with("```"))
        .ok_or_else(|| format!("no fenced block right after {comment:?}"))?;
    let body = &rest[fence_end + 1..];
    let end = body
        .find("\n```\n")
        .ok_or_else(|| format!("the block after {comment:?} is not closed"))?;
    Ok(body[..=end].to_string())
}

/// A file of the first crate, from the package's directory.
fn first_crate(file: &str) -> Result<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/first-crate")
        .join(file);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A manifest as a new crate writes it: from `[dependencies]` on, each
/// `name = { version = "V", path = "..." }` (this repository's path to the
/// package) written `name = "V"` (the published version).
fn as_published(manifest: &str) -> Result<String, String> {
    let from = manifest
        .find("[dependencies]")
        .ok_or("the first crate's manifest has no [dependencies]")?;
    let mut out = String::new();
    for line in manifest[from..].lines() {
        let local = line
            .split_once(" = { version = \"")
            .and_then(|(name, rest)| Some((name, rest.split_once("\", path = ")?.0)))
            .filter(|_| line.ends_with('}'));
        match local {
            Some((name, version)) => out.push_str(&format!("{name} = \"{version}\"")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    Ok(out)
}

#[test]
fn the_readme_shows_the_first_crates_dependencies() -> Result<(), String> {
    let shown = block_after("examples/first-crate/Cargo.toml, from [dependencies] on")?;
    let built = as_published(&first_crate("Cargo.toml")?)?;
    assert_eq!(
        shown, built,
        "README.md's dependencies differ from examples/first-crate/Cargo.toml"
    );
    Ok(())
}

#[test]
fn the_readme_shows_the_first_crates_code() -> Result<(), String> {
    let shown = block_after("examples/first-crate/src/main.rs")?;
    let built = first_crate("src/main.rs")?;
    assert_eq!(
        shown, built,
        "README.md's src/main.rs differs from examples/first-crate/src/main.rs"
    );
    Ok(())
}

#[test]
fn a_published_manifest_names_versions_not_paths() -> Result<(), String> {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\n\
                    chatdesk = { version = \"0.1\", path = \"../..\" }\n\
                    tokio = { version = \"1\", features = [\"macros\"] }\n";
    assert_eq!(
        as_published(manifest)?,
        "[dependencies]\nchatdesk = \"0.1\"\ntokio = { version = \"1\", features = [\"macros\"] }\n"
    );
    Ok(())
}

#[test]
fn no_rust_block_hides_lines_from_a_markdown_reader() {
    let mut in_rust = false;
    let mut hidden = Vec::new();
    for (number, line) in README.lines().enumerate() {
        if let Some(info) = line.strip_prefix("```") {
            in_rust = !in_rust && info.starts_with("rust");
            continue;
        }
        if in_rust && (line == "#" || line.starts_with("# ")) {
            hidden.push(format!("README.md:{}: {line}", number + 1));
        }
    }
    assert!(
        hidden.is_empty(),
        "rustdoc hides these lines, Markdown shows them: write the example whole\n{}",
        hidden.join("\n")
    );
}
