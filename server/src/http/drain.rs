//! Stopping without failing a request: how a process leaves a load balancer.
//!
//! On SIGTERM the process first *drains*: it closes its listening socket, so the balancer's
//! next connection to it is refused and goes to another process (nginx passes a refused
//! connection on even for a POST, which it never repeats once sent); and it answers every
//! request still arriving on an open keep-alive connection with `Connection: close`, so the
//! balancer drops that connection after the answer instead of reusing it. Only then are the
//! connections left idle closed. Closing an idle connection at once would race the balancer
//! sending a request on it, and that request would fail with 502.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long a stopping process keeps answering on its open connections before it closes
/// the idle ones.
pub const DRAIN: Duration = Duration::from_secs(2);

/// Whether this process is draining, shared by its listener and its responses.
#[derive(Debug, Clone)]
pub struct Drain {
    draining: Arc<AtomicBool>,
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Drain {
    fn default() -> Self {
        Self::new()
    }
}

impl Drain {
    pub fn new() -> Self {
        Self {
            draining: Arc::default(),
            tx: Arc::new(watch::channel(false).0),
        }
    }

    /// Starts draining: the listener closes, and every answer closes its connection.
    pub fn start(&self) {
        self.draining.store(true, Ordering::Release);
        self.tx.send_replace(true);
    }

    /// Whether it has started.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// `listener`, closed when draining starts.
    pub fn listener(&self, listener: TcpListener) -> DrainListener {
        DrainListener {
            addr: listener.local_addr(),
            inner: Some(listener),
            stop: self.tx.subscribe(),
        }
    }
}

/// A TCP listener that closes its socket when draining starts (and accepts nothing more).
#[derive(Debug)]
pub struct DrainListener {
    inner: Option<TcpListener>,
    addr: io::Result<SocketAddr>,
    stop: watch::Receiver<bool>,
}

impl axum::serve::Listener for DrainListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            if *self.stop.borrow() {
                // Dropping it closes the port: new connections are refused from now on.
                self.inner = None;
            }
            let Some(listener) = self.inner.as_mut() else {
                return std::future::pending().await;
            };
            tokio::select! {
                accepted = TcpListener::accept(listener) => match accepted {
                    Ok(conn) => return conn,
                    Err(error) => {
                        // Out of file descriptors, or a connection reset before accept:
                        // wait a little rather than spin.
                        tracing::warn!(%error, "accepting a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                changed = self.stop.changed() => {
                    if changed.is_err() {
                        self.inner = None;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        match &self.addr {
            Ok(a) => Ok(*a),
            Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
        }
    }
}

/// Middleware: while draining, every answer says `Connection: close`.
pub async fn close_when_draining(State(drain): State<Drain>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if drain.is_draining() {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}
