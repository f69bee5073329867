//! `steppe serve`: the HTTP API and map page (see `steppe::server`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use steppe::server::{Limits, State};
use steppe::{Error, Result};

use crate::cli::{Cli, load};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one; the address bound is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:5000")]
    pub bind: SocketAddr,
    /// Most coordinates of a route request (OSRM's --max-viaroute-size).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(2..=10_000))]
    pub max_route_coordinates: u32,
    /// Most coordinates of a table or matrix request (OSRM's --max-table-size).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_table_coordinates: u32,
    /// Longest a search may take, seconds, before the request is answered with a timeout.
    #[arg(long, value_name = "S", default_value_t = 30.0, value_parser = parse_timeout)]
    pub query_timeout: f64,
    /// Largest request body, bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_body_bytes: usize,
    /// Worker threads answering requests (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

fn parse_timeout(s: &str) -> std::result::Result<f64, String> {
    crate::cli::finite_in(s, 0.001, 86_400.0)
}

pub fn run_serve(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let network = load(&cli.network)?;
    let limits = Limits {
        route_coordinates: args.max_route_coordinates as usize,
        table_coordinates: args.max_table_coordinates as usize,
        body_bytes: args.max_body_bytes,
        query_timeout: Duration::from_secs_f64(args.query_timeout),
        ..Limits::default()
    };
    let state = Arc::new(State::new(network, limits)?);
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = args.threads {
        rt.worker_threads(usize::from(n));
    }
    let rt = rt
        .build()
        .map_err(|e| Error::io(std::path::Path::new("tokio runtime"), e))?;
    let addr = args.bind;
    rt.block_on(async move {
        let (listener, local) = steppe::server::bind(addr)
            .await
            .map_err(|e| Error::io(std::path::Path::new(&addr.to_string()), e))?;
        crate::cli::out(&format!(
            "steppe serve: {} ({} places), listening on http://{local}/\n",
            state.network.origin,
            state.network.graph.node_count()
        ))?;
        steppe::server::serve(listener, state, steppe::server::shutdown_signal())
            .await
            .map_err(|e| Error::io(std::path::Path::new(&local.to_string()), e))?;
        eprintln!("steppe serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
