// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {StateMachine} from "../src/StateMachine.sol";

/// Foundry invariant wrapper of the StateMachine fixture: both tools fuzz
/// this same contract (bulwark in invariant mode).
contract StateMachineInvariants {
    StateMachine internal sm;

    function setUp() public {
        sm = new StateMachine();
    }

    function invariant_stays_locked() public view {
        require(sm.echidna_stays_locked(), "unlocked");
    }
}
