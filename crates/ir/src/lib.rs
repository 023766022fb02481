//! bulwark-ir (see ARCHITECTURE.md).
