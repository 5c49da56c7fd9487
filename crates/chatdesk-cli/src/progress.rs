//! What the commands report on standard error. An export: a live line
//! (items, pages, rate, retries) when standard error is a terminal, and one
//! summary line at the end either way, so logs of unattended runs stay
//! short. A backup: a live line on a terminal, otherwise a plain line every
//! few seconds, then its summary (in `backup.rs`). `--quiet`: none of it.
//!
//! A slow or silent server: on a terminal, the live line adds what the
//! command is waiting for once a request has been out for
//! [`SHOW_WAITING_AFTER`] (the request, its attempt, the seconds so far);
//! without a terminal, each retry is one line as it happens
//! ([`retry_line`]), and nothing is printed while requests succeed at the
//! first attempt. `--quiet` silences the retry lines too, as the progress
//! they are: a run that ends well says nothing, and one whose retries ran
//! out ends with the error, which says what failed.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chatdesk::backup::Status;
use chatdesk::retry::{Phase, Retry};
use chatdesk::{Error, Stats};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// How long a request is out before the live line says what it waits for:
/// long enough that a healthy run never shows it.
pub const SHOW_WAITING_AFTER: Duration = Duration::from_secs(3);

/// Whether each retry is printed as a line: set by the command's progress,
/// on when standard error is not a terminal and the run is not `--quiet`.
/// The clients are built where the progress is not known, so they reach
/// it here.
static RETRY_LINES: AtomicBool = AtomicBool::new(false);

/// Says how retries are reported for a run whose progress is `quiet` or
/// not, and returns whether standard error is a terminal.
fn report_retries(quiet: bool) -> bool {
    let terminal = std::io::stderr().is_terminal();
    RETRY_LINES.store(!quiet && !terminal, Ordering::Relaxed);
    terminal
}

/// The clients' retry callback: one line on standard error per retry when
/// the run prints retry lines (no terminal, not `--quiet`), nothing
/// otherwise. It never sees the token: the event has the path only.
pub fn retry_line(retry: &Retry<'_>) {
    if RETRY_LINES.load(Ordering::Relaxed) {
        eprintln!("chatdesk: {}", describe_retry(retry));
    }
}

/// `retrying GET /api/v1/accounts/1/conversations (listConversations) in
/// 1.2 s, attempt 2 of 5: 503 Service Unavailable`.
pub fn describe_retry(retry: &Retry<'_>) -> String {
    format!(
        "retrying {} {} ({}) in {:.1} s, attempt {} of {}: {}",
        retry.method,
        retry.path,
        retry.operation,
        retry.wait.as_secs_f64(),
        retry.attempt,
        retry.max_attempts,
        short_error(retry.error),
    )
}

/// The most of an error a retry line shows.
const SHORT_ERROR_LIMIT: usize = 200;

/// What went wrong, without the advice that follows ` — ` (a retry is
/// what the advice would say) nor the request already named: the status and
/// the server's message, or the failure and its cause.
fn short_error(error: &Error) -> String {
    let mut text = match error {
        Error::Api(api) => {
            let mut text = format!(
                "{} {}",
                api.status.as_u16(),
                api.status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_owned();
            if let Some(message) = &api.message {
                let _ = write!(text, ": {message}");
            }
            text
        }
        other => {
            let shown = other.to_string();
            let mut text = shown.split(" — ").next().unwrap_or_default().to_owned();
            if let Some(cause) = std::error::Error::source(other) {
                let _ = write!(text, ": {}", chatdesk::error::Report(cause));
            }
            text
        }
    };
    if text.len() > SHORT_ERROR_LIMIT {
        let mut end = SHORT_ERROR_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// What the client of `stats` waits for, once its oldest request has been
/// out for [`SHOW_WAITING_AFTER`]: `waiting for GET /api/v1/...
/// (listConversations), attempt 2 of 5, 34 s`.
pub fn waiting_text(stats: &Stats) -> Option<String> {
    let waiting = stats.waiting()?;
    if waiting.elapsed < SHOW_WAITING_AFTER {
        return None;
    }
    let request = format!(
        "{} {} ({})",
        waiting.method, waiting.path, waiting.operation
    );
    let attempt = format!("attempt {} of {}", waiting.attempt, waiting.max_attempts);
    let seconds = waiting.elapsed.as_secs();
    Some(match waiting.phase {
        Phase::Retrying { wait } => {
            let left = wait
                .saturating_sub(waiting.phase_elapsed)
                .as_secs_f64()
                .ceil();
            // The request is named already, and the advice is a retry.
            let last = match &waiting.last_error {
                Some(error) => format!(
                    " (last: {})",
                    error
                        .split(" — ")
                        .next()
                        .unwrap_or_default()
                        .replace(&format!(" for {}", waiting.path), "")
                ),
                None => String::new(),
            };
            format!(
                "waiting to retry {request}, {attempt} in {left:.0} s, {seconds} s so far{last}"
            )
        }
        Phase::RateLimited => {
            format!("waiting for the rate limit to retry {request}, {attempt}, {seconds} s")
        }
        _ => format!("waiting for {request}, {attempt}, {seconds} s"),
    })
}

/// `bar`'s style from `template`, where `{waiting}` is what the client of
/// `stats` waits for (see [`waiting_text`]), redrawn with every tick.
fn watching_style(template: &str, stats: Option<Stats>) -> ProgressStyle {
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner());
    style.with_key(
        "waiting",
        move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
            if let Some(text) = stats.as_ref().and_then(waiting_text) {
                let _ = write!(out, " · {text}");
            }
        },
    )
}

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
            bar: live_bar(quiet, EXPORT_LINE, format!("{what}: starting")),
            quiet,
        }
    }

    /// Adds what the client of `stats` waits for to the live line, when a
    /// request takes long.
    pub fn watch(&self, stats: &Stats) {
        watch(self.bar.as_ref(), EXPORT_LINE, stats);
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

/// The live line of an export.
const EXPORT_LINE: &str = "{spinner} {msg}{waiting}";
/// The live line of a backup.
const BACKUP_LINE: &str = "{spinner} {wide_msg}{waiting}";

/// A spinner line on standard error with `template`, showing `first`
/// until the first update, when it is a terminal and the run is not
/// `quiet`; retry lines are printed when it is neither.
fn live_bar(quiet: bool, template: &str, first: String) -> Option<ProgressBar> {
    (report_retries(quiet) && !quiet).then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(watching_style(template, None));
        bar.set_message(first);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    })
}

/// Adds what the client of `stats` waits for to `bar` (drawn with
/// `template`), when a request takes long.
fn watch(bar: Option<&ProgressBar>, template: &str, stats: &Stats) {
    if let Some(bar) = bar {
        bar.set_style(watching_style(template, Some(stats.clone())));
    }
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
            bar: live_bar(quiet, BACKUP_LINE, "backup: starting".to_owned()),
            quiet,
            last_plain: Instant::now(),
        }
    }

    /// Adds what the client of `stats` waits for to the live line, when a
    /// request takes long.
    pub fn watch(&self, stats: &Stats) {
        watch(self.bar.as_ref(), BACKUP_LINE, stats);
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
