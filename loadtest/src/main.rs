//! Load generator: filled by the SFU issue.
fn main() {
    eprintln!("tribuna-loadtest: no benchmark has been written yet");
    std::process::exit(2);
}
