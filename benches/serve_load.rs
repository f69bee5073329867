//! Load test of `steppe serve` on loopback: N route requests (default 10,000) from C
//! concurrent clients (default 32), each on its own keep-alive connection; every answer must
//! be 200. Prints requests per second and latency percentiles.
//!
//! `cargo bench --bench serve_load` starts its own server. To load another server that
//! speaks OSRM (osrm-routed, for the comparison figure), give its base URL and a file of
//! `lon,lat` lines to route between:
//!   LOAD_URL=http://127.0.0.1:5000 LOAD_COORDS=monaco.txt LOAD_PROFILE=driving \
//!   cargo bench --bench serve_load
//! Other knobs: LOAD_REQUESTS, LOAD_CLIENTS, LOAD_QUERY (appended, default overview=false).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    addr: SocketAddr,
    reader: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(addr: SocketAddr) -> Conn {
        Conn { addr, reader: None }
    }

    /// GETs `path`; returns the status and body.
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.reader.is_none() {
            let s = TcpStream::connect(self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(60)))?;
            self.reader = Some(BufReader::new(s));
        }
        let r = self.reader.as_mut().expect("connected above");
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        r.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        let mut close = false;
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if l == "connection: close" {
                close = true;
            }
        }
        let n = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
        let mut body = vec![0; n];
        r.read_exact(&mut body)?;
        if close {
            self.reader = None;
        }
        Ok((status, body))
    }
}

fn start_server() -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("steppe serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("address line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.trim().trim_end_matches('/').parse().ok())
        .expect("address in the first line");
    (child, addr)
}

/// Coordinates of the served network's cities, and the pairs its table says are connected.
fn steppe_pairs(addr: SocketAddr, profile: &str) -> Vec<(String, String)> {
    let mut c = Conn::new(addr);
    let (_, body) = c.get("/v1/places?kind=city").expect("places");
    let v: serde_json::Value = serde_json::from_slice(&body).expect("places JSON");
    let coords: Vec<String> = v["places"]
        .as_array()
        .expect("places list")
        .iter()
        .map(|p| format!("{},{}", p["lon"], p["lat"]))
        .collect();
    let (status, body) = c
        .get(&format!("/table/v1/{profile}/{}", coords.join(";")))
        .expect("table");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let t: serde_json::Value = serde_json::from_slice(&body).expect("table JSON");
    let mut pairs = Vec::new();
    for (i, row) in t["durations"]
        .as_array()
        .expect("durations")
        .iter()
        .enumerate()
    {
        for (j, d) in row.as_array().expect("row").iter().enumerate() {
            if i != j && d.as_f64().is_some_and(|x| x > 0.0) {
                pairs.push((coords[i].clone(), coords[j].clone()));
            }
        }
    }
    pairs
}

fn file_pairs(path: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("LOAD_COORDS file");
    let coords: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in coords.iter().enumerate() {
        for b in coords.iter().skip(i + 1) {
            pairs.push((a.clone(), b.clone()));
        }
    }
    pairs
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful: run only
    // when asked as a bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let requests = env_or("LOAD_REQUESTS", 10_000);
    let clients = env_or("LOAD_CLIENTS", 32);
    let profile = std::env::var("LOAD_PROFILE").unwrap_or_else(|_| "freight".into());
    let extra = std::env::var("LOAD_QUERY").unwrap_or_else(|_| "overview=false".into());
    let (mut child, addr, pairs, what) = match std::env::var("LOAD_URL") {
        Ok(url) => {
            let host = url.trim_start_matches("http://").trim_end_matches('/');
            let addr = host
                .to_socket_addrs()
                .expect("LOAD_URL host:port")
                .next()
                .expect("an address");
            let coords = std::env::var("LOAD_COORDS").expect("LOAD_COORDS with LOAD_URL");
            (None, addr, file_pairs(&coords), url.clone())
        }
        Err(_) => {
            let (child, addr) = start_server();
            let pairs = steppe_pairs(addr, &profile);
            (Some(child), addr, pairs, "steppe serve".to_string())
        }
    };
    assert!(!pairs.is_empty(), "no pairs to route between");
    let paths: Arc<Vec<String>> = Arc::new(
        (0..requests)
            .map(|i| {
                // A fixed scramble of the pairs (Knuth's multiplicative hash), same every run.
                let k = (i.wrapping_mul(2_654_435_761)) % pairs.len();
                let (a, b) = &pairs[k];
                format!("/route/v1/{profile}/{a};{b}?{extra}")
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (paths, next) = (Arc::clone(&paths), Arc::clone(&next));
            std::thread::spawn(move || {
                let mut conn = Conn::new(addr);
                let mut lat = Vec::new();
                let mut errors = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= paths.len() {
                        break;
                    }
                    let t = Instant::now();
                    match conn.get(&paths[i]) {
                        Ok((200, _)) => lat.push(t.elapsed()),
                        Ok((s, body)) => errors.push(format!(
                            "{s}: {}",
                            String::from_utf8_lossy(&body[..body.len().min(200)])
                        )),
                        Err(e) => {
                            errors.push(e.to_string());
                            conn = Conn::new(addr);
                        }
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = Vec::new();
    for w in workers {
        let (l, e) = w.join().expect("client thread");
        lat.extend(l);
        errors.extend(e);
    }
    let elapsed = started.elapsed().as_secs_f64();
    lat.sort();
    assert!(!lat.is_empty(), "no request answered: {:?}", errors.first());
    if let Some(c) = child.as_mut() {
        let _ = c.kill();
        let _ = c.wait();
    }
    println!(
        "{what}: {requests} route requests, {clients} clients, {} pairs: {:.0} req/s, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, errors {}",
        pairs.len(),
        requests as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.9),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
    assert!(errors.is_empty(), "{} errors", errors.len());
}
