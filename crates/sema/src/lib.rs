//! bulwark-sema (see ARCHITECTURE.md).
