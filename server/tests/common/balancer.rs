//! nginx from Debian as the load balancer in front of several server processes, with the
//! project's own proxy settings (`deploy/nginx/hromada-proxy.conf`): for the tests that
//! run the server the way a deployment does.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's nginx is (`scripts/ensure-tools.sh test` installs it).
pub const NGINX: &str = "/usr/sbin/nginx";

/// A running nginx, stopped when dropped.
pub struct Nginx {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    dir: PathBuf,
}

/// The project's proxy settings, which `deploy/nginx/hromada.conf` includes too.
pub fn proxy_conf() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx/hromada-proxy.conf")
}

impl Nginx {
    /// Starts nginx in `dir/nginx` on a free loopback port, balancing over `upstreams`
    /// (`127.0.0.1:<port>` each) by open connections. Every response says which process
    /// answered it in `X-Upstream` (the test's addition to the deployed settings).
    pub fn start(dir: &Path, upstreams: &[&str]) -> Self {
        let home = dir.join("nginx");
        let temp = home.join("temp");
        std::fs::create_dir_all(&temp).expect("nginx's folder");
        // Its workers run as `nobody` when the tests run as root.
        for d in [&home, &temp] {
            let _ = Command::new("chmod").arg("777").arg(d).status();
        }
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let servers: String = upstreams
            .iter()
            .map(|u| format!("        server {u} max_fails=1 fail_timeout=2s;\n"))
            .collect();
        let conf = format!(
            "worker_processes 1;
worker_rlimit_nofile 65536;
error_log {home}/error.log warn;
pid {home}/nginx.pid;
events {{ worker_connections 30000; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream hromada {{
        least_conn;
{servers}        keepalive 64;
    }}
    server {{
        listen {addr} backlog=4096;
        add_header X-Upstream $upstream_addr always;
        include {proxy};
    }}
}}
",
            home = home.display(),
            temp = temp.display(),
            proxy = proxy_conf().display(),
        );
        let conf_path = home.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let log = std::fs::File::create(home.join("out.log")).expect("nginx's log");
        let child = Command::new(NGINX)
            .arg("-e")
            .arg(home.join("error.log"))
            .arg("-p")
            .arg(&home)
            .arg("-c")
            .arg(&conf_path)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {NGINX} ({e}); `scripts/ensure-tools.sh test` installs it")
            });
        let mut nginx = Self {
            child,
            addr,
            dir: home,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&nginx.addr).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                panic!("nginx exited ({status}):\n{}", nginx.errors());
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not start:\n{}",
                nginx.errors()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    /// `http://127.0.0.1:<port>/api/v1`.
    pub fn api(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// What nginx wrote to its error log.
    pub fn errors(&self) -> String {
        let mut s = std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
        s.push_str(&std::fs::read_to_string(self.dir.join("out.log")).unwrap_or_default());
        s
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Stops an nginx master and its workers: SIGTERM (a SIGKILL would leave the workers
/// running), then SIGKILL if it is still there after 5 s.
pub fn stop(master: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &master.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = master.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = master.kill();
    let _ = master.wait();
}
