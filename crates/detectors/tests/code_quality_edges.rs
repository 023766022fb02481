//! Code-quality cases the fixture format cannot express: a project whose
//! configuration pins the compiler, and code importing files that are not
//! there (fixtures must compile with solc).

use bulwark_detectors::{audit_project, Selection};
use bulwark_report::Finding;
use bulwark_sema::{LoadOptions, Project, Version};

fn findings(source: &str, options: &LoadOptions, detector: &str) -> Vec<Finding> {
    let project = Project::from_sources(&[("a.sol", source)], options);
    audit_project(&project, &Selection::only([detector]))
}

const FLOATING_VAULT: &str = r#"pragma solidity ^0.8.0;
contract Vault {
    function digest(bytes memory data) public pure returns (bytes32 h) {
        assembly { h := keccak256(add(data, 32), mload(data)) }
    }
}
"#;

#[test]
fn a_configured_compiler_decides_the_build_not_the_pragma() {
    let floating = findings(FLOATING_VAULT, &LoadOptions::default(), "floating-pragma");
    assert_eq!(floating.len(), 1, "the pragma admits 0.8.0 to the latest");

    let pinned = LoadOptions {
        solc_version: Some(Version::new(0, 8, 24)),
        ..LoadOptions::default()
    };
    assert!(findings(FLOATING_VAULT, &pinned, "floating-pragma").is_empty());
    // 0.8.24 has the KeccakCaching fix; 0.8.2 does not, and the finding
    // names the configured compiler with medium confidence (unavoidable).
    assert!(findings(FLOATING_VAULT, &pinned, "known-compiler-bug").is_empty());
    let old = LoadOptions {
        solc_version: Some(Version::new(0, 8, 2)),
        ..LoadOptions::default()
    };
    let bugs = findings(FLOATING_VAULT, &old, "known-compiler-bug");
    assert_eq!(bugs.len(), 1);
    assert!(
        bugs[0].message.contains("configured compiler 0.8.2"),
        "{}",
        bugs[0].message
    );
    assert_eq!(bugs[0].confidence, bulwark_report::Confidence::Medium);
}

#[test]
fn an_override_of_an_unresolved_base_is_not_dead_code() {
    let source = r#"pragma solidity ^0.8.20;
import {Proxy} from "./not-here/Proxy.sol";
contract Mock is Proxy {
    address impl;
    function _implementation() internal view override returns (address) {
        return impl;
    }
    function _unused() internal pure returns (uint256) {
        return 1;
    }
}
"#;
    let dead = findings(source, &LoadOptions::default(), "dead-code");
    let names: Vec<&str> = dead.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(dead.len(), 1, "{names:?}");
    assert!(names[0].contains("Mock._unused"), "{names:?}");
}

#[test]
fn unavoidable_bugs_without_a_construct_are_reported_at_the_pragma() {
    let source = "pragma solidity ^0.4.0;\ncontract Counter {\n    uint256 public n;\n    function inc() public { n += 1; }\n}\n";
    // 0.4.5 has OptimizerStateKnowledgeNotResetForJumpdest (medium), which
    // no construct check covers.
    let ancient = LoadOptions {
        solc_version: Some(Version::new(0, 4, 5)),
        ..LoadOptions::default()
    };
    let bugs = findings(source, &ancient, "known-compiler-bug");
    assert_eq!(bugs.len(), 1);
    assert_eq!(bugs[0].primary().map(|l| l.start_line), Some(1));
    assert!(
        bugs[0]
            .message
            .contains("OptimizerStateKnowledgeNotResetForJumpdest"),
        "{}",
        bugs[0].message
    );
    assert_eq!(bugs[0].confidence, bulwark_report::Confidence::Low);
    // The same pragma built with 0.4.26 has no such bug.
    let late = LoadOptions {
        solc_version: Some(Version::new(0, 4, 26)),
        ..LoadOptions::default()
    };
    assert!(findings(source, &late, "known-compiler-bug").is_empty());
}

#[test]
fn a_call_of_a_virtual_function_that_reverts_in_the_base_is_not_a_dead_end() {
    let source = r#"pragma solidity ^0.8.20;
abstract contract Base {
    uint256 public n;
    function _authorize() internal virtual {
        revert("override me");
    }
    function bump() external {
        _authorize();
        n += 1;
    }
}
contract Impl is Base {
    address owner = msg.sender;
    function _authorize() internal view override {
        require(msg.sender == owner, "owner");
    }
}
"#;
    let dead = findings(source, &LoadOptions::default(), "dead-code");
    assert!(
        dead.is_empty(),
        "{:?}",
        dead.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

#[test]
fn an_outdated_pragma_is_reported_once_per_pragma_not_per_file() {
    let pool = "pragma solidity =0.7.6;\ncontract Pool {}\n";
    let oracle = "pragma solidity =0.7.6;\ncontract Oracle {}\n";
    let legacy = "pragma solidity ^0.5.16;\ncontract Legacy {}\n";
    let test = "pragma solidity =0.7.6;\ncontract PoolTest {}\n";
    let project = Project::from_sources(
        &[
            ("test/PoolTest.sol", test),
            ("contracts/Pool.sol", pool),
            ("contracts/Oracle.sol", oracle),
            ("contracts/Legacy.sol", legacy),
        ],
        &LoadOptions::default(),
    );
    let found = audit_project(&project, &Selection::only(["outdated-compiler"]));
    assert_eq!(found.len(), 2, "one per distinct pragma: {found:#?}");
    let pinned = found
        .iter()
        .find(|f| f.message.contains("=0.7.6"))
        .expect("the 0.7.6 group");
    // Anchored in a source file (tests come last), the others related.
    assert_eq!(pinned.primary().unwrap().file, "contracts/Oracle.sol");
    assert_eq!(pinned.locations.len(), 3);
    assert!(
        pinned.message.contains("2 other files"),
        "{}",
        pinned.message
    );
    let legacy = found.iter().find(|f| f.message.contains("0.5.16")).unwrap();
    assert_eq!(legacy.locations.len(), 1);
}
