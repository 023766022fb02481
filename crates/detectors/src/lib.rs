//! bulwark-detectors (see ARCHITECTURE.md).
