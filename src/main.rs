fn main() -> std::process::ExitCode {
    tribuna::cli::main()
}
