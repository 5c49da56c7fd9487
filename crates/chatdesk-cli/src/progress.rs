//! What the commands report on standard error. An export: a live line
//! (items, pages, rate, retries) when standard error is a terminal, and one
//! summary line at the end either way, so logs of unattended runs stay
//! short. A backup: a live line on a terminal, otherwise a plain line every
//! few seconds, then its summary (in `backup.rs`). `--quiet`: none of it.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use chatdesk::Stats;
use chatdesk::backup::Status;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts of an export, this run and before it (from a checkpoint).
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// Items written, in all runs.
    pub items: u64,
    /// Pages written, in all runs.
    pub pages: u64,
    /// Items written by this run.
    pub items_this_run: u64,
}

/// The progress line and the final summary.
pub struct Progress {
    what: &'static str,
    started: Instant,
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// Progress of exporting `what` ("chatwoot conversations"); live only
    /// when standard error is a terminal; nothing at all when `quiet`.
    pub fn new(what: &'static str, quiet: bool) -> Self {
        Progress {
            what,
            started: Instant::now(),
            bar: if quiet {
                None
            } else {
                live_bar("{spinner} {msg}")
            },
            quiet,
        }
    }

    /// Shows the counts after a page.
    pub fn page(&self, counts: Counts, stats: &Stats) {
        if let Some(bar) = &self.bar {
            bar.set_message(self.line(counts, stats));
        }
    }

    /// Ends the live line and prints the summary.
    pub fn finish(&self, counts: Counts, stats: &Stats, end: &str) {
        let line = format!("chatdesk: {}{end}", self.line(counts, stats));
        match &self.bar {
            Some(bar) => bar.finish_with_message(line),
            None if self.quiet => {}
            None => eprintln!("{line}"),
        }
    }

    /// Ends the live line without a summary (before an error message).
    pub fn abandon(&self) {
        if let Some(bar) = &self.bar {
            bar.abandon();
        }
    }

    fn line(&self, counts: Counts, stats: &Stats) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            counts.items_this_run as f64 / seconds
        } else {
            0.0
        };
        format!(
            "{}: {} in {}, {seconds:.1} s, {rate:.0} items/s, {}, {}",
            self.what,
            plural(counts.items, "item"),
            plural(counts.pages, "page"),
            plural(stats.requests(), "request"),
            plural(stats.retries(), "retry"),
        )
    }
}

/// A spinner line on standard error with `template`, when it is a terminal.
fn live_bar(template: &str) -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    })
}

/// How often a backup prints a plain progress line when standard error is
/// not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// The progress of a backup run, from the engine's [`Status`] after each
/// committed page: the resources being read (items, pages, listings left),
/// requests, rate, retries and the time left. It never sees the token.
pub struct BackupProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    last_plain: Instant,
}

impl BackupProgress {
    /// Live on a terminal, plain lines otherwise, nothing when `quiet`.
    pub fn new(quiet: bool) -> Self {
        BackupProgress {
            bar: if quiet {
                None
            } else {
                live_bar("{spinner} {wide_msg}")
            },
            quiet,
            last_plain: Instant::now(),
        }
    }

    /// Removes the live line (before the summary or an error message).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// One line of `status`.
    pub fn line(status: &Status) -> String {
        let done = status.resources.iter().filter(|r| r.done).count();
        let mut parts = vec![format!("{done}/{} tables done", status.resources.len())];
        for r in status
            .resources
            .iter()
            .filter(|r| !r.done && (r.pages > 0 || r.listings_left > 0))
        {
            let mut part = format!(
                "{}: {}, {}",
                r.name,
                plural(r.items, "item"),
                plural(r.pages, "page")
            );
            if r.listings_left > 0 || r.listings_done > 0 {
                part.push_str(&format!(
                    ", {} of {} listings",
                    r.listings_done,
                    r.listings_done + r.listings_left
                ));
            }
            parts.push(part);
        }
        let eta = match status.eta() {
            Some(eta) => format!("about {} left", duration(eta)),
            None => "time left unknown".to_owned(),
        };
        parts.push(format!(
            "{}, {:.0} req/s, {}, {eta}",
            plural(status.requests, "request"),
            status.rate(),
            plural(status.retries, "retry"),
        ));
        format!("backup: {}", parts.join("; "))
    }
}

impl chatdesk::backup::Progress for BackupProgress {
    fn update(&mut self, status: &Status) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.set_message(Self::line(status)),
            None if self.last_plain.elapsed() >= PLAIN_EVERY => {
                self.last_plain = Instant::now();
                eprintln!("chatdesk: {}", Self::line(status));
            }
            None => {}
        }
    }
}

/// A duration for people: `42 s`, `3 min 5 s`, `2 h 10 min`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..60 => format!("{:.1} s", d.as_secs_f64()),
        60..3600 => format!("{} min {} s", secs / 60, secs % 60),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
    }
}

/// `count` and `noun`, in the plural unless the count is one.
pub fn plural(count: u64, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "retry") => format!("{count} retries"),
        _ => format!("{count} {noun}s"),
    }
}
