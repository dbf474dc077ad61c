// The allocator: the kdl parser allocates and frees for nearly every byte it reads, and glibc's
// malloc spent a fifth of a small build's instructions on that; mimalloc is faster at it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    labc::alloc::tune();
    labc::cli::run()
}
