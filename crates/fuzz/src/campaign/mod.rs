//! The fuzzing campaign: workers generating and mutating call sequences
//! under coverage guidance, a shared corpus, failure collection.

mod corpus;
mod engine;
mod mutate;
mod runner;
mod sequence;

pub use corpus::{load_dir as load_corpus, save as save_sequence, Entry};
pub use engine::{run_campaign, CampaignConfig, CampaignResult, FailureRecord, Snapshot};
pub use mutate::Generator;
pub use runner::{CallResult, Hit, OverlayDb, Runner, Watch};
pub use sequence::{Call, FailureKey, Sequence};
