//! Related locations point at the lines a reader has to change. The
//! fixture harness checks primary locations only, so these are checked
//! here.

use bulwark_detectors::{audit_project, Selection};
use bulwark_report::Finding;
use bulwark_sema::{LoadOptions, Project};

fn findings(source: &str) -> Vec<Finding> {
    let project = Project::from_sources(&[("case.sol", source)], &LoadOptions::default());
    audit_project(&project, &Selection::all())
}

fn labelled_lines(finding: &Finding, label: &str) -> Vec<u32> {
    finding
        .locations
        .iter()
        .filter(|l| l.label.as_deref() == Some(label))
        .map(|l| l.start_line)
        .collect()
}

#[test]
fn malleable_signature_points_at_the_identifier_made_from_it() {
    let all = findings(
        "pragma solidity ^0.8.20;
contract Vouchers {
    address public signer;
    mapping(bytes32 => bool) public used;
    function redeem(bytes32 digest, bytes calldata sig) external {
        bytes32 id = keccak256(sig);
        require(!used[id], \"used\");
        require(recover(digest, sig) == signer, \"signer\");
        used[id] = true;
    }
    function recover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        return ecrecover(digest, uint8(sig[64]), r, s);
    }
}",
    );
    let hits: Vec<&Finding> = all
        .iter()
        .filter(|f| f.detector == "signature-malleability")
        .collect();
    assert_eq!(hits.len(), 1, "{all:#?}");
    assert_eq!(labelled_lines(hits[0], "signature recorded as used"), [9]);
    assert_eq!(
        labelled_lines(hits[0], "identifier derived from the signature"),
        [6]
    );
}
