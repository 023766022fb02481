//! One module per subcommand.

pub mod audit;
pub mod compilers;
pub mod detectors;
pub mod fuzz;
pub mod parse;
pub mod print;
pub mod serve;
pub mod worker;
