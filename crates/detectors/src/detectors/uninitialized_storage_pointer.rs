//! `uninitialized-storage-pointer`: a local struct or array that points at
//! storage slot 0 because it was never assigned (before 0.5.0).
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - The effective compiler version (the construct is a compile error
//!   from 0.5.0).
//! - Local variable declarations with their resolved type and data
//!   location: struct, array or mapping types whose location is `storage`,
//!   either written or implied (pre-0.5 locals of reference type without a
//!   location default to storage).
//! - Definite assignment over the CFG: whether every path from the
//!   declaration to each use (member access, index, `push`, assignment
//!   through it) assigns the pointer first.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "uninitialized-storage-pointer",
    title: "Uninitialised storage pointer",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-109"],
    applies_to: "before 0.5.0 (a compile error from 0.5.0 on)",
    summary: "A local struct or array variable is a storage pointer that was never assigned, so \
it points at storage slot 0 and writing through it overwrites the contract's first state \
variables.",
    what: r#"Reports the declaration of a local variable of struct or array type that is a storage
reference — declared `storage`, or with no location at all, which before 0.5.0 means
storage — and is used before it is assigned on some path.

Not reported: `memory` locals; storage pointers initialised at the declaration
(`Entry storage e = entries[i];`, or the pre-0.5 `Entry e = entries[i];`); pointers assigned
on every path before their first use; locals of value types."#,
    why: r#"An unassigned storage pointer refers to slot 0. Writing its first member writes slot 0,
its second member slot 1, and so on, overwriting whatever state variables live there —
typically the owner, a lock flag or a counter. Pushing to an unassigned array pointer
increments slot 0 as if it were the array's length. Honeypot contracts of 2017 and 2018
used exactly this to make a harmless-looking write flip a lock or reset the owner."#,
    exploit: r#"```solidity
address public moderator;          // slot 0
bool public open;                  // slot 0 (packed)
function sign(bytes32 message) public {
    Entry draft;                   // points at slot 0
    draft.author = msg.sender;     // overwrites `moderator`
    draft.message = message;       // overwrites slot 1
    entries.push(draft);
}
```
Any caller of `sign` becomes the moderator, because `draft.author` shares slot 0 with
`moderator`."#,
    fix: r#"Declare the local as `memory` when it is a fresh value, or point it at real storage:
```solidity
Entry memory draft = Entry(msg.sender, message);
entries.push(draft);
```
Compiling with 0.5.0 or later turns the mistake into a compile error."#,
    references: &[
        "https://swcregistry.io/docs/SWC-109",
        "https://docs.soliditylang.org/en/latest/050-breaking-changes.html",
    ],
};
