//! Prometheus metrics, kept in memory and rendered in the text format.
//!
//! Hand-rolled rather than a metrics crate: a few counters and histograms
//! are all the service needs, and each dependency costs build time.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        for (bound, slot) in BUCKETS.iter().zip(self.counts.iter_mut()) {
            if secs <= *bound {
                *slot += 1;
            }
        }
        self.count += 1;
        self.sum += secs;
    }
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    audits_finished: BTreeMap<String, u64>,
    audit_duration: Histogram,
    rate_limited: u64,
}

/// A current value per state, read at scrape time by the caller.
pub struct Gauge<'a> {
    pub name: &'a str,
    pub help: &'a str,
    pub values: Vec<(String, i64)>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// One HTTP request; `route` is the matched route template, never the
    /// raw path (ids would make the label set unbounded).
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        inner
            .latency
            .entry(route.to_string())
            .or_default()
            .observe(elapsed.as_secs_f64());
    }

    pub fn observe_rate_limited(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .rate_limited += 1;
    }

    /// An audit run ended with `outcome` (succeeded, failed, cancelled, retried, requeued).
    pub fn observe_audit(&self, outcome: &str, elapsed: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner
            .audits_finished
            .entry(outcome.to_string())
            .or_default() += 1;
        if outcome == "succeeded" {
            inner.audit_duration.observe(elapsed.as_secs_f64());
        }
    }

    /// The exposition text; `gauges` are current values read by the caller
    /// (queue depth and audits per state, from the database).
    pub fn render(&self, gauges: &[Gauge<'_>]) -> String {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        out.push_str(
            "# HELP bulwark_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE bulwark_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "bulwark_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str("# HELP bulwark_http_request_duration_seconds Request latency by route.\n");
        out.push_str("# TYPE bulwark_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.latency {
            write_histogram(
                &mut out,
                "bulwark_http_request_duration_seconds",
                &format!("route=\"{}\"", escape(route)),
                h,
            );
        }
        out.push_str(
            "# HELP bulwark_rate_limited_total Requests refused by the per-key rate limit.\n",
        );
        out.push_str("# TYPE bulwark_rate_limited_total counter\n");
        let _ = writeln!(out, "bulwark_rate_limited_total {}", inner.rate_limited);
        out.push_str("# HELP bulwark_audit_runs_total Audit runs by this process, by outcome.\n");
        out.push_str("# TYPE bulwark_audit_runs_total counter\n");
        for (outcome, n) in &inner.audits_finished {
            let _ = writeln!(out, "bulwark_audit_runs_total{{outcome=\"{outcome}\"}} {n}");
        }
        out.push_str("# HELP bulwark_audit_duration_seconds Duration of successful audit runs.\n");
        out.push_str("# TYPE bulwark_audit_duration_seconds histogram\n");
        write_histogram(
            &mut out,
            "bulwark_audit_duration_seconds",
            "",
            &inner.audit_duration,
        );
        for Gauge { name, help, values } in gauges {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            for (label, n) in values {
                let _ = writeln!(out, "{name}{{state=\"{}\"}} {n}", escape(label));
            }
        }
        out
    }
}

fn write_histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    let sep = if labels.is_empty() { "" } else { "," };
    for (bound, n) in BUCKETS.iter().zip(h.counts.iter()) {
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", h.count);
    let braces = if labels.is_empty() {
        String::new()
    } else {
        format!("{{{labels}}}")
    };
    let _ = writeln!(out, "{name}_sum{braces} {}", h.sum);
    let _ = writeln!(out, "{name}_count{braces} {}", h.count);
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let m = Metrics::default();
        m.observe_request("GET", "/healthz", 200, Duration::from_millis(2));
        m.observe_request("GET", "/healthz", 200, Duration::from_millis(30));
        let text = m.render(&[Gauge {
            name: "bulwark_jobs",
            help: "Jobs by state.",
            values: vec![("queued".into(), 3)],
        }]);
        assert!(text.contains(
            "bulwark_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "bulwark_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 1"
        ));
        assert!(text.contains("bulwark_http_request_duration_seconds_count{route=\"/healthz\"} 2"));
        assert!(text.contains("bulwark_jobs{state=\"queued\"} 3"));
    }
}
