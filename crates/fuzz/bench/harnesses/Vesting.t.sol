// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Vesting} from "../src/Vesting.sol";

contract VestingInvariants {
    Vesting internal v;

    function setUp() public {
        v = new Vesting();
    }

    function invariant_never_overpays() public view {
        require(v.echidna_never_overpays(), "overpaid");
    }
}
