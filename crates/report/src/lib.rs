//! bulwark-report (see ARCHITECTURE.md).
