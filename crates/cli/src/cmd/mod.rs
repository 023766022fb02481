//! One module per subcommand.

pub mod audit;
pub mod detectors;
pub mod parse;
pub mod print;
