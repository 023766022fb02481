// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Control} from "../src/Control.sol";

/// The calls/s benchmark: nothing breaks, so both tools spend their whole
/// budget of runs x depth calls.
contract ControlInvariants {
    Control internal c;

    function setUp() public {
        c = new Control();
    }

    function invariant_claims_capped() public view {
        require(c.echidna_claims_capped(), "claims");
    }

    function invariant_stage_in_range() public view {
        require(c.echidna_stage_in_range(), "stage");
    }
}
