//! Inline assembly (Yul and the pre-0.5 "old-style" assembly dialect).
