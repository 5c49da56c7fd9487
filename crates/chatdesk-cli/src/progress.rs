//! What the export reports on standard error: a live line (items, pages,
//! rate, retries) when standard error is a terminal, and one summary line
//! at the end either way, so logs of unattended runs stay short.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use chatdesk::Stats;
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
}

impl Progress {
    /// Progress of exporting `what` ("chatwoot conversations"); live only
    /// when standard error is a terminal.
    pub fn new(what: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            what,
            started: Instant::now(),
            bar,
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

/// `count` and `noun`, in the plural unless the count is one.
fn plural(count: u64, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "retry") => format!("{count} retries"),
        _ => format!("{count} {noun}s"),
    }
}
