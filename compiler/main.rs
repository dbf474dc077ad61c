fn main() -> std::process::ExitCode {
    labc::cli::run()
}
