fn main() {
    eprintln!("usage: cargo xtask <bench-smartbugs>");
    std::process::exit(2);
}
