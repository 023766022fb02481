//! Facts from the Solidity team's published list of compiler bugs
//! (`docs/bugs.json` of the compiler repository), restated for Bulwark:
//! each bug's name, the releases it affects, its rating, what it does in
//! a sentence, the compiler settings it needs and the construct of the
//! source that triggers it, when that construct can be recognised.
//!
//! Only bugs affecting 0.4.0 or later are listed (Bulwark analyses
//! 0.4.11–0.8.x). `VerbatimInvalidDeduplication` is left out: `verbatim`
//! exists only in stand-alone Yul, so no Solidity source triggers it.

use bulwark_sema::Version;

/// The Solidity team's rating of a bug ("medium/high" counts as high,
/// "low/medium" as medium).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BugSeverity {
    VeryLow,
    Low,
    Medium,
    High,
}

impl BugSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            BugSeverity::VeryLow => "very low",
            BugSeverity::Low => "low",
            BugSeverity::Medium => "medium",
            BugSeverity::High => "high",
        }
    }
}

/// A source construct without which a bug cannot happen. Detectors look
/// for it and report the bug at the construct; [`Trigger::Unrecognised`]
/// bugs can only be reported at the pragma.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// `keccak256` inside inline assembly.
    AssemblyKeccak,
    /// A Yul function that conditionally ends the call with `return` or
    /// `stop`.
    YulConditionalTermination,
    /// An assembly block that writes memory it never reads and refers to
    /// no Solidity local variable (so the legacy pipeline optimises it
    /// alone).
    AssemblyUnreadMemoryWrite,
    /// A Yul `for` loop with `break` or `continue`.
    AssemblyLoopBreakContinue,
    /// `delete` of a `transient` state variable.
    TransientDelete,
    /// `.selector` of an expression that calls, assigns or branches.
    SelectorOfSideEffects,
    /// A whole dynamic storage array of elements of at most 16 bytes
    /// assigned (it may shrink).
    PackedStorageArrayAssigned,
    /// `.push()` without a value on a storage `bytes` array.
    StorageBytesPushWithoutValue,
    /// `a ** b` with an exponent narrower than 256 bits and at least as
    /// wide as the base.
    NarrowExponent,
    /// A function redeclaring a base contract's private function.
    PrivateFunctionRedeclared,
    /// A storage array or struct passed directly to ABI encoding (an
    /// external call, `abi.encode*`, an event).
    StorageValueEncoded,
    /// A statically-sized calldata array of 32-byte elements as the last
    /// value ABI-encoded.
    StaticCalldataArrayReencoded,
    /// A call of `ecrecover`.
    Ecrecover,
    /// The result of a low-level `delegatecall` used.
    DelegatecallResultUsed,
    /// Functions calling each other in a cycle (not a function calling
    /// only itself).
    MutualRecursion,
    /// A contract placing its storage with `layout at`.
    StorageLayoutSpecifier,
    /// An array of another element type assigned to a storage array of
    /// signed integers.
    SignedArrayStorageCopy,
    /// A call of a function returning a multi-dimensional fixed-size
    /// array.
    NestedFixedArrayReturned,
    /// No cheap recognition: the bug is reported at the pragma only.
    Unrecognised,
}

/// One entry of the bug list.
#[derive(Clone, Copy, Debug)]
pub struct CompilerBug {
    /// The name in the compiler's list (what users search for).
    pub name: &'static str,
    /// First affected release; `Version::new(0, 0, 0)` when the bug
    /// predates the releases Bulwark knows.
    pub introduced: Version,
    /// First release without the bug.
    pub fixed: Version,
    pub severity: BugSeverity,
    /// What goes wrong, in a sentence.
    pub summary: &'static str,
    /// Compiler settings the bug also needs, in words ("" for none).
    pub needs: &'static str,
    /// Needs ABI coder v2 (checked against the file's pragmas).
    pub abi_coder_v2: bool,
    pub trigger: Trigger,
}

impl CompilerBug {
    pub fn affects(&self, version: Version) -> bool {
        version >= self.introduced && version < self.fixed
    }
}

const fn v(minor: u16, patch: u16) -> Version {
    Version::new(0, minor, patch)
}

/// Every release before those Bulwark knows.
const ALWAYS: Version = Version::new(0, 0, 0);

macro_rules! bug {
    ($name:literal, $from:expr, $fixed:expr, $sev:ident, $needs:literal, $v2:literal, $trigger:ident, $summary:literal) => {
        CompilerBug {
            name: $name,
            introduced: $from,
            fixed: $fixed,
            severity: BugSeverity::$sev,
            summary: $summary,
            needs: $needs,
            abi_coder_v2: $v2,
            trigger: Trigger::$trigger,
        }
    };
}

/// The bug list, newest first.
pub const COMPILER_BUGS: &[CompilerBug] = &[
    bug!("UncheckedArrayStorageSizeOverflow", ALWAYS, v(8, 35), Low, "", false, Unrecognised,
        "indexing or deleting a dynamic storage array whose element type spans an enormous number of slots can wrap the slot computation and touch the wrong storage"),
    bug!("InheritanceOrderReversalOnStorageEndWarning", v(8, 29), v(8, 36), Medium, "", false, StorageLayoutSpecifier,
        "a `layout at` base close to the end of storage reverses the inheritance order the code generator sees (constructor order, virtual resolution)"),
    bug!("UnsoundSpillInMutualRecursion", v(7, 2), v(8, 36), Medium, "via-IR code generation", false, MutualRecursion,
        "locals of mutually recursive functions may be moved to fixed memory and overwritten by the recursive call"),
    bug!("TransientStorageClearingHelperCollision", v(8, 28), v(8, 34), High, "via-IR code generation and EVM version cancun or later", false, TransientDelete,
        "a contract that deletes a transient variable and also clears persistent storage may clear only one of the two locations"),
    bug!("LostStorageArrayWriteOnSlotOverflow", ALWAYS, v(8, 32), Low, "", false, StorageLayoutSpecifier,
        "clearing or copying an array that straddles the last storage slot silently leaves old data"),
    bug!("FullInlinerNonExpressionSplitArgumentEvaluationOrder", v(6, 7), v(8, 21), Low, "a custom Yul optimiser sequence", false, Unrecognised,
        "a custom optimiser step sequence may change the evaluation order of inlined Yul call arguments"),
    bug!("MissingSideEffectsOnSelectorAccess", v(6, 2), v(8, 21), Low, "the legacy code generator", false, SelectorOfSideEffects,
        "the expression whose `.selector` is taken is not evaluated, so its calls and assignments never happen"),
    bug!("StorageWriteRemovalBeforeConditionalTermination", v(8, 13), v(8, 17), High, "the Yul optimiser", false, YulConditionalTermination,
        "storage writes before a call of a Yul function that conditionally ends the call with `return`/`stop` may be removed"),
    bug!("AbiReencodingHeadOverflowWithStaticArrayCleanup", v(5, 8), v(8, 16), Medium, "", true, StaticCalldataArrayReencoded,
        "ABI-encoding a tuple whose last static component is a calldata `uint256[n]`/`bytes32[n]` zeroes the first 32 bytes of the following dynamic data"),
    bug!("DirtyBytesArrayToStorage", ALWAYS, v(8, 15), Low, "the legacy code generator", false, StorageBytesPushWithoutValue,
        "copying `bytes` from memory or calldata to storage may copy dirty bytes that a later `push()` exposes"),
    bug!("InlineAssemblyMemorySideEffects", v(8, 13), v(8, 15), Medium, "the Yul optimiser", false, AssemblyUnreadMemoryWrite,
        "memory writes in an assembly block that refers to no Solidity local are removed when the block itself never reads them"),
    bug!("DataLocationChangeInInternalOverride", v(6, 9), v(8, 14), VeryLow, "", false, Unrecognised,
        "an override switching a parameter between `calldata` and `memory` miscompiles internal calls through the base"),
    bug!("NestedCalldataArrayAbiReencodingSizeValidation", v(5, 8), v(8, 14), VeryLow, "", false, Unrecognised,
        "re-encoding nested dynamic calldata arrays does not check their size against the calldata and reads zeros past its end"),
    bug!("AbiEncodeCallLiteralAsFixedBytesBug", v(8, 11), v(8, 13), VeryLow, "", false, Unrecognised,
        "literals passed for `bytesN` parameters of `abi.encodeCall` are encoded wrongly"),
    bug!("UserDefinedValueTypesBug", v(8, 8), v(8, 9), VeryLow, "", false, Unrecognised,
        "user-defined value types shorter than 32 bytes each take a full storage slot"),
    bug!("SignedImmutables", v(6, 5), v(8, 9), VeryLow, "", false, Unrecognised,
        "signed immutables shorter than 256 bits read in inline assembly are not sign-extended"),
    bug!("ABIDecodeTwoDimensionalArrayMemory", v(4, 16), v(8, 4), VeryLow, "", true, Unrecognised,
        "`abi.decode` of nested arrays from memory can read outside the decoded bytes"),
    bug!("KeccakCaching", ALWAYS, v(8, 3), Medium, "the optimiser", false, AssemblyKeccak,
        "the optimiser may reuse an earlier `keccak256` of the same memory with a different length"),
    bug!("EmptyByteArrayCopy", ALWAYS, v(7, 4), Medium, "", false, StorageBytesPushWithoutValue,
        "copying an empty `bytes`/`string` to storage leaves unrelated data that a later length increase (`push()`) exposes"),
    bug!("DynamicArrayCleanup", ALWAYS, v(7, 3), Medium, "", false, PackedStorageArrayAssigned,
        "shrinking a packed dynamic storage array by assignment leaves stale values that reappear when it grows again"),
    bug!("FreeFunctionRedefinition", v(7, 1), v(7, 2), Low, "", false, Unrecognised,
        "free functions with the same name and parameters are accepted and all calls go to the first"),
    bug!("UsingForCalldata", v(6, 9), v(6, 10), VeryLow, "", false, Unrecognised,
        "internal library functions with calldata parameters called through `using for` corrupt the stack"),
    bug!("MissingEscapingInFormatting", v(5, 14), v(6, 8), VeryLow, "", true, Unrecognised,
        "string literals with double backslashes passed to encoding are encoded as a different string"),
    bug!("ArraySliceDynamicallyEncodedBaseType", v(6, 0), v(6, 8), VeryLow, "", true, Unrecognised,
        "slices with a non-zero start of calldata arrays with dynamic elements read the wrong offsets"),
    bug!("ImplicitConstructorCallvalueCheck", v(4, 5), v(6, 8), VeryLow, "", false, Unrecognised,
        "a contract without a constructor whose base has one accepts ether at creation"),
    bug!("TupleAssignmentMultiStackSlotComponents", ALWAYS, v(6, 6), VeryLow, "", false, Unrecognised,
        "tuple assignments with multi-slot components (nested tuples, calldata arrays) can assign wrong values"),
    bug!("MemoryArrayCreationOverflow", ALWAYS, v(6, 5), Low, "", false, Unrecognised,
        "creating a huge memory array overflows the allocation and overlaps other memory"),
    bug!("YulOptimizerRedundantAssignmentBreakContinue", v(6, 0), v(6, 1), Medium, "the Yul optimiser", false, AssemblyLoopBreakContinue,
        "assignments to variables declared inside an assembly `for` loop with `break`/`continue` may be removed"),
    bug!("privateCanBeOverridden", ALWAYS, v(5, 17), Low, "", false, PrivateFunctionRedeclared,
        "a derived contract can redeclare a base's private function and change what the base calls"),
    bug!("YulOptimizerRedundantAssignmentBreakContinue0.5", v(5, 8), v(5, 16), Low, "the Yul optimiser", false, AssemblyLoopBreakContinue,
        "assignments to variables declared inside an assembly `for` loop with `break`/`continue` may be removed"),
    bug!("ABIEncoderV2LoopYulOptimizer", v(5, 14), v(5, 15), Low, "the optimiser and the Yul optimiser", true, Unrecognised,
        "the Yul optimiser may reuse memory or storage values changed in a loop of a called function"),
    bug!("ABIEncoderV2CalldataStructsWithStaticallySizedAndDynamicallyEncodedMembers", v(5, 6), v(5, 11), Low, "", true, Unrecognised,
        "calldata structs with a statically-sized but dynamically-encoded member read later members at wrong offsets"),
    bug!("SignedArrayStorageCopy", v(4, 7), v(5, 10), Medium, "", false, SignedArrayStorageCopy,
        "assigning an array of signed integers to a storage array of another type can store wrong values"),
    bug!("ABIEncoderV2StorageArrayWithMultiSlotElement", v(4, 16), v(5, 10), Low, "", true, StorageValueEncoded,
        "storage arrays of structs or static arrays encoded directly read overlapping elements"),
    bug!("DynamicConstructorArgumentsClippedABIV2", v(4, 16), v(5, 9), VeryLow, "", true, Unrecognised,
        "constructor arguments of static types containing dynamic arrays are clipped"),
    bug!("UninitializedFunctionPointerInConstructor", v(5, 0), v(5, 8), VeryLow, "", false, Unrecognised,
        "uninitialised internal function pointers created in the constructor may not revert when called"),
    bug!("UninitializedFunctionPointerInConstructor_0.4.x", v(4, 5), v(4, 26), VeryLow, "", false, Unrecognised,
        "uninitialised internal function pointers created in the constructor may not revert when called"),
    bug!("IncorrectEventSignatureInLibraries", v(5, 0), v(5, 8), VeryLow, "", false, Unrecognised,
        "events of libraries with contract-typed parameters get a wrong signature hash"),
    bug!("IncorrectEventSignatureInLibraries_0.4.x", ALWAYS, v(4, 26), VeryLow, "", false, Unrecognised,
        "events of libraries with contract-typed parameters get a wrong signature hash"),
    bug!("ABIEncoderV2PackedStorage", v(5, 0), v(5, 7), Low, "", true, StorageValueEncoded,
        "storage structs and arrays with elements shorter than 32 bytes encoded directly are corrupted"),
    bug!("ABIEncoderV2PackedStorage_0.4.x", v(4, 19), v(4, 26), Low, "", true, StorageValueEncoded,
        "storage structs and arrays with elements shorter than 32 bytes encoded directly are corrupted"),
    bug!("IncorrectByteInstructionOptimization", v(5, 5), v(5, 7), VeryLow, "the optimiser", false, Unrecognised,
        "`byte` with the constant index 31 is optimised wrongly"),
    bug!("DoubleShiftSizeOverflow", v(5, 5), v(5, 6), Low, "the optimiser", false, Unrecognised,
        "two constant shifts whose sum reaches 256 bits are optimised wrongly"),
    bug!("ExpExponentCleanup", ALWAYS, v(4, 25), High, "", false, NarrowExponent,
        "`**` with an exponent narrower than 256 bits uses its uncleaned high bits and can return a much larger result"),
    bug!("EventStructWrongData", v(4, 17), v(4, 25), VeryLow, "", false, Unrecognised,
        "structs in events log their memory address instead of their data"),
    bug!("NestedArrayFunctionCallDecoder", ALWAYS, v(4, 22), Medium, "", false, NestedFixedArrayReturned,
        "calling a function that returns a multi-dimensional fixed-size array corrupts memory"),
    bug!("OneOfTwoConstructorsSkipped", v(4, 22), v(4, 23), VeryLow, "", false, Unrecognised,
        "a contract with both a `constructor` and a function named like the contract runs only one of them"),
    bug!("ZeroFunctionSelector", ALWAYS, v(4, 18), VeryLow, "", false, Unrecognised,
        "a payable function whose selector is zero can run instead of the fallback"),
    bug!("DelegateCallReturnValue", ALWAYS, v(4, 15), Low, "", false, DelegatecallResultUsed,
        "`delegatecall` returns the first word of the callee's return data instead of its success"),
    bug!("ECRecoverMalformedInput", ALWAYS, v(4, 14), Medium, "", false, Ecrecover,
        "`ecrecover` can return garbage instead of failing on a malformed signature"),
    bug!("SkipEmptyStringLiteral", ALWAYS, v(4, 12), Low, "", false, Unrecognised,
        "an empty string literal argument is skipped and shifts the following arguments"),
    bug!("ConstantOptimizerSubtraction", ALWAYS, v(4, 11), Low, "the optimiser", false, Unrecognised,
        "the optimiser replaces some constants with routines computing other numbers"),
    bug!("IdentityPrecompileReturnIgnored", ALWAYS, v(4, 7), Low, "", false, Unrecognised,
        "a failure of the identity precompile used to copy memory is ignored"),
    bug!("OptimizerStateKnowledgeNotResetForJumpdest", v(4, 5), v(4, 6), Medium, "the optimiser", false, Unrecognised,
        "the optimiser keeps stale knowledge across jump destinations and can corrupt data"),
    bug!("HighOrderByteCleanStorage", ALWAYS, v(4, 4), High, "", false, Unrecognised,
        "writes of short types do not clean high-order bytes and can overwrite neighbouring variables"),
    bug!("OptimizerStaleKnowledgeAboutSHA3", ALWAYS, v(4, 3), Medium, "the optimiser", false, Unrecognised,
        "the optimiser reuses stale hashes, which can address the wrong storage slot"),
    bug!("LibrariesNotCallableFromPayableFunctions", ALWAYS, v(4, 2), Low, "", false, Unrecognised,
        "library calls from functions that received ether revert"),
];

/// The bugs of the list that affect `version`, newest first.
pub fn bugs_affecting(version: Version) -> impl Iterator<Item = &'static CompilerBug> {
    COMPILER_BUGS.iter().filter(move |b| b.affects(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(version: Version) -> Vec<&'static str> {
        bugs_affecting(version).map(|b| b.name).collect()
    }

    #[test]
    fn ranges_include_the_introducing_release_and_exclude_the_fix() {
        assert!(names(v(8, 2)).contains(&"KeccakCaching"));
        assert!(!names(v(8, 3)).contains(&"KeccakCaching"));
        let swr = "StorageWriteRemovalBeforeConditionalTermination";
        assert!(names(v(8, 13)).contains(&swr));
        assert!(names(v(8, 16)).contains(&swr));
        assert!(!names(v(8, 12)).contains(&swr));
        assert!(!names(v(8, 17)).contains(&swr));
    }

    #[test]
    fn recent_releases_have_few_bugs_and_the_latest_none() {
        assert!(names(Version::LATEST).is_empty());
        assert_eq!(
            names(v(8, 30)),
            [
                "UncheckedArrayStorageSizeOverflow",
                "InheritanceOrderReversalOnStorageEndWarning",
                "UnsoundSpillInMutualRecursion",
                "TransientStorageClearingHelperCollision",
                "LostStorageArrayWriteOnSlotOverflow",
            ]
        );
    }

    #[test]
    fn the_table_is_consistent() {
        for b in COMPILER_BUGS {
            assert!(b.introduced < b.fixed, "{}: empty range", b.name);
            assert!(
                !b.summary.ends_with('.'),
                "{}: summaries have no period",
                b.name
            );
        }
        let mut seen = std::collections::HashSet::new();
        assert!(
            COMPILER_BUGS.iter().all(|b| seen.insert(b.name)),
            "duplicate names"
        );
    }
}
