//! The README's tour cannot drift: every ```text block that starts with `$ steppe ...` is run
//! through the binary and its output compared with the README, line by line. A command may end
//! in `| head -N` or `| tail -N` (only the first or last N lines are shown). Run with `STEPPE_BLESS=1` to rewrite the
//! README's blocks with the current outputs (then review the diff).

use std::process::Command;

const README: &str = "README.md";

/// One command of a block and the output the README shows for it.
struct Shown {
    command: String,
    output: Vec<String>,
}

/// Splits a block's lines into commands and their shown outputs.
fn commands(block: &[&str]) -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::new();
    for line in block {
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.push(Shown {
                command: cmd.to_string(),
                output: Vec::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.output.push(line.to_string());
        }
    }
    out
}

/// Expands `dir/*.ext` arguments (sorted), as a shell would.
fn expand(arg: &str) -> Vec<String> {
    let Some(star) = arg.find('*') else {
        return vec![arg.to_string()];
    };
    let (dir, pattern) = arg.rsplit_once('/').unwrap_or((".", arg));
    let (prefix, suffix) = pattern.split_at(star - (arg.len() - pattern.len()));
    let suffix = &suffix[1..];
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    names.sort();
    names
}

/// Runs one README command; returns its standard output then standard error, as lines.
fn run(command: &str) -> Vec<String> {
    let (cmd, head, tail) = match (
        command.rsplit_once("| head -"),
        command.rsplit_once("| tail -"),
    ) {
        (Some((c, n)), _) => (c.trim(), n.trim().parse::<usize>().ok(), None),
        (None, Some((c, n))) => (c.trim(), None, n.trim().parse::<usize>().ok()),
        (None, None) => (command.trim(), None, None),
    };
    let mut words = cmd.split_whitespace();
    assert_eq!(words.next(), Some("steppe"), "{command}");
    let args: Vec<String> = words.flat_map(expand).collect();
    let o = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(&args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if let Some(n) = head {
        lines.truncate(n);
    }
    if let Some(n) = tail {
        lines.drain(..lines.len().saturating_sub(n));
    }
    lines
}

#[test]
fn the_readme_tour_shows_what_the_commands_print() {
    let readme = std::fs::read_to_string(README).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let bless = std::env::var_os("STEPPE_BLESS").is_some();
    let mut rewritten: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        rewritten.push(line.to_string());
        i += 1;
        if line != "```text" || !lines.get(i).is_some_and(|l| l.starts_with("$ steppe ")) {
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i] != "```" {
            i += 1;
        }
        for shown in commands(&lines[start..i]) {
            let actual = run(&shown.command);
            let expected: Vec<String> = shown
                .output
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect();
            if actual != expected {
                let at = expected
                    .iter()
                    .zip(&actual)
                    .position(|(a, b)| a != b)
                    .unwrap_or(expected.len().min(actual.len()));
                problems.push(format!(
                    "`{}`: line {} differs\n  README: {:?}\n  actual: {:?}",
                    shown.command,
                    at + 1,
                    expected.get(at),
                    actual.get(at)
                ));
            }
            checked += 1;
            rewritten.push(format!("$ {}", shown.command));
            rewritten.extend(actual);
        }
    }
    if bless {
        let mut text = rewritten.join("\n");
        text.push('\n');
        std::fs::write(README, text).unwrap();
        return;
    }
    assert!(checked >= 10, "only {checked} commands found in the README");
    assert!(
        problems.is_empty(),
        "the README's tour differs from the commands' output (STEPPE_BLESS=1 cargo test --test readme rewrites it):\n{}",
        problems.join("\n")
    );
}
