//! Entry point: reads the run-time configuration, then mounts the app.

fn main() {
    console_error_panic_hook::set_once();
    hromada_web::start();
}
